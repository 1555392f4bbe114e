import ClusterCore
import Foundation
import Logging

/// The verbs of tc-healthd: what each request does, given the agent's state.
///
/// `HEALTH` and `PING` are open to anyone: load figures are not secret, and the load balancers
/// poll every second. `DRAIN`, `UNDRAIN`, `SERVICE` and `SIMULATE` change the server and need a
/// request signed with the cluster key. The `RequestAuthenticator` refuses unsigned ones before
/// they get here; the handler checks `isAuthenticated` again, because an agent that started
/// without a key has no authenticator, and then every request reaches it as plain.
struct HealthRequestHandler: LineRequestHandler {
    /// The verbs that need a signature.
    static let protectedVerbs: Set<String> = [HealthVerb.drain, HealthVerb.undrain, HealthVerb.service, HealthVerb.simulate]
    /// `PING` -> `OK tc-healthd <version>`: is this an agent, and which.
    static let ping = "PING"
    static let programName = "tc-healthd"

    let state: AgentState
    let services: [String]
    let runner: ServiceCommandRunner
    /// What an unsigned admin request is told: `unsigned`, or `no-key` when the agent has no
    /// cluster key and so could not accept a signed one either.
    let adminRefusal: @Sendable (String) -> AuthenticationFailure
    let now: @Sendable () -> Date
    let logger: Logger

    init(state: AgentState, services: [String], runner: ServiceCommandRunner, hasClusterKey: Bool,
         now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "thincluster.healthd")) {
        self.state = state
        self.services = services
        self.runner = runner
        if hasClusterKey {
            self.adminRefusal = { verb in AuthenticationFailure.unsigned(verb: verb) }
        } else {
            self.adminRefusal = { _ in AuthenticationFailure.noKey }
        }
        self.now = now
        self.logger = logger
    }

    func handle(_ request: Request, context: RequestContext) async -> Response {
        if Self.protectedVerbs.contains(request.verb), !context.isAuthenticated {
            return adminRefusal(request.verb).response
        }
        switch request.verb {
        case HealthVerb.health:
            guard request.arguments.isEmpty else { return Self.noArguments(request.verb) }
            var report = await state.report()
            // Who is logged in is for the load balancers (which sign their polls), not for anyone
            // who can reach the port: an unsigned poll gets the figures and the session count only.
            if !context.isAuthenticated { report.users = [] }
            return .ok([report.serialized()])
        case Self.ping:
            guard request.arguments.isEmpty else { return Self.noArguments(request.verb) }
            return .ok([Self.programName, ClusterCoreVersion.string])
        case HealthVerb.drain:
            guard request.arguments.isEmpty else { return Self.noArguments(request.verb) }
            return await setAvailability(.draining, context: context)
        case HealthVerb.undrain:
            guard request.arguments.isEmpty else { return Self.noArguments(request.verb) }
            return await setAvailability(.active, context: context)
        case HealthVerb.service:
            return await service(request.arguments, context: context)
        case HealthVerb.simulate:
            return await simulate(request.arguments, context: context)
        default:
            return .error(.unknownVerb, "\(request.verb) is not a tc-healthd verb (HEALTH, PING, DRAIN, UNDRAIN, SERVICE, SIMULATE)")
        }
    }

    private func setAvailability(_ availability: LoadReport.State, context: RequestContext) async -> Response {
        logger.notice("admin request", metadata: ["verb": "\(availability == .draining ? "DRAIN" : "UNDRAIN")", "peer": Self.peer(context)])
        do {
            try await state.setAvailability(availability)
        } catch {
            logger.error("drain state not saved", metadata: ["error": "\(error)"])
            return .error(.internal, "\(availability.rawValue) now, but a restart would forget it: \(error)")
        }
        return .ok([availability.rawValue])
    }

    private func service(_ arguments: [String], context: RequestContext) async -> Response {
        let action: ServiceAction
        do {
            action = try ServiceAction(arguments: arguments, managed: services)
        } catch .arity(let count) {
            return .error(.syntax, ServiceActionError.arity(count).description)
        } catch {
            return .error(.invalid, error.description)
        }
        logger.notice("admin request", metadata: [
            "verb": "SERVICE", "action": "\(action.verb.rawValue)", "service": "\(action.service)", "peer": Self.peer(context),
        ])
        let outcome = await runner.run(action)
        guard let failure = outcome.failureMessage(command: runner.command, action: action) else {
            return .ok([action.service, action.verb.pastTense])
        }
        logger.error("service command failed", metadata: ["service": "\(action.service)", "error": "\(failure)"])
        return .error(.internal, failure)
    }

    private func simulate(_ arguments: [String], context: RequestContext) async -> Response {
        guard arguments.count == 1 else {
            return .error(.syntax, "SIMULATE takes 1 argument, a JSON object; got \(arguments.count)")
        }
        do {
            let update = try SimulatedLoadUpdate(parsing: arguments[0])
            let load = try await state.simulate(update, at: now())
            logger.notice("simulated load changed", metadata: [
                "load1": "\(load.load1)", "cpus": "\(load.cpus)", "users": "\(load.users.count)", "peer": Self.peer(context),
            ])
            return .ok([])
        } catch {
            return .error(.invalid, error.description)
        }
    }

    private static func noArguments(_ verb: String) -> Response {
        .error(.syntax, "\(verb) takes no arguments")
    }

    private static func peer(_ context: RequestContext) -> Logger.MetadataValue {
        "\(context.peerAddress.map { "\($0)" } ?? "?")"
    }
}
