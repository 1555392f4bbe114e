import ClusterCore
import NIOCore

/// The thin-client port: `SERVER <username> [<client-id>]` and `PING`, nothing else.
///
/// Unauthenticated by design (a thin client has no key), so every answer is cheap, limited per
/// client address, and says no more than the thin client needs: an address, or why there is
/// none.
struct ClientRequestHandler: LineRequestHandler {
    let balancer: Balancer
    let limiter: RateLimiter

    func handle(_ request: Request, context: RequestContext) async -> Response {
        switch request.verb {
        case BalancerVerb.ping:
            return .ok(["tc-lbd", ClusterCoreVersion.string])
        case BalancerVerb.server:
            let started = ContinuousClock.now
            guard (1...2).contains(request.arguments.count) else {
                balancer.metrics.decision("invalid")
                return .error(.syntax, "usage: SERVER <username> [<client-id>]")
            }
            let client = context.peerAddress?.ipAddress ?? "unknown"
            guard limiter.allow(client, at: started) else {
                balancer.metrics.decision("rate-limited")
                return .error(.rateLimited, "too many requests from \(client); slow down")
            }
            return balancer.answer(username: request.arguments[0], clientID: request.arguments.count == 2 ? request.arguments[1] : nil,
                                   started: started)
        default:
            return .error(.unknownVerb, "this port serves SERVER and PING")
        }
    }
}
