/// A checked `SERVICE start|stop <name>` request: the decision of whether the agent may run
/// it, separate from running it.
///
/// The paper's cluster manager starts and stops load balancers on any server (section 5); a
/// signed request lets an administrator do that from tcctl. The agent only touches services
/// listed in `health.services`, so a stolen signature cannot stop sshd or the X server.
struct ServiceAction: Equatable, Sendable {
    enum Verb: String, Sendable {
        case start, stop

        /// `started` / `stopped`, for the answer.
        var pastTense: String { self == .start ? "started" : "stopped" }
    }

    var verb: Verb
    var service: String

    /// Checks the arguments of a `SERVICE` request against the managed services.
    init(arguments: [String], managed: [String]) throws(ServiceActionError) {
        guard arguments.count == 2 else { throw .arity(arguments.count) }
        guard let verb = Verb(rawValue: arguments[0]) else { throw .unknownAction(arguments[0]) }
        guard managed.contains(arguments[1]) else { throw .notManaged(arguments[1], managed: managed) }
        self.verb = verb
        self.service = arguments[1]
    }
}

/// Why a `SERVICE` request was refused before anything ran.
enum ServiceActionError: Error, Equatable, Sendable, CustomStringConvertible {
    case arity(Int)
    case unknownAction(String)
    case notManaged(String, managed: [String])

    var description: String {
        switch self {
        case .arity(let count):
            return "SERVICE takes 2 arguments, start|stop and a service name; got \(count)"
        case .unknownAction(let action):
            return "action \(action.debugDescription) is not start or stop"
        case let .notManaged(name, managed):
            let list = managed.isEmpty ? "none" : managed.joined(separator: ", ")
            return "service \(name) is not managed here (health.services: \(list))"
        }
    }
}
