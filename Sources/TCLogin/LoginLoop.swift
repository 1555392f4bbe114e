import ClusterCore
import Logging

/// The thin client's loop: prompt, read a username, ask the load balancers, open the session on
/// the server they name, and prompt again when it ends (the paper, section 6, steps 1-5).
///
/// The decisions are `LoginSession`'s; this type only moves values between the terminal, the
/// load balancers and the display command, all three behind protocols so that tests drive it
/// with stand-ins. Nothing here ends the loop except end of input, cancellation or `once`: a
/// refused name, an unreachable cluster or a missing X server are shown, and the next person
/// gets a prompt.
struct LoginLoop: Sendable {
    var settings: LoginSettings
    var terminal: any LoginTerminal
    var transport: any LoadBalancerTransport
    var launcher: any DisplayLauncher
    var logger: Logger

    /// Runs until end of input (status 0) or cancellation (status 0); with `once`, until the
    /// first username has been dealt with, returning the session's status or why none ran.
    func run() async -> Int32 {
        while !Task.isCancelled {
            await terminal.write(settings.prompt)
            guard let line = await terminal.readLine() else {
                // End the prompt's line, so whatever runs next starts on a fresh one.
                if !Task.isCancelled { await terminal.write("\n") }
                return 0
            }
            switch LoginSession.start(line: line, clientID: settings.clientID) {
            case .blank:
                continue
            case .refused(let outcome):
                await show(outcome)
                if settings.once { return outcome.onceExitStatus }
            case .ask(let session):
                let status = await attempt(session)
                if settings.once { return status }
            }
        }
        return 0
    }

    /// One username: ask, then open the session or say why not. Returns the status `--once`
    /// exits with.
    func attempt(_ session: LoginSession) async -> Int32 {
        let outcome = await ask(session)
        guard case .startSession(let server) = outcome else {
            await show(outcome)
            return outcome.onceExitStatus
        }
        guard !Task.isCancelled else { return 0 }
        return await openSession(on: server, for: session.username)
    }

    private func ask(_ session: LoginSession) async -> LoginOutcome {
        let request: Request
        do {
            request = try session.request()
        } catch {
            return .refused(session.username, code: .internal, message: error.description)
        }
        let result: Result<LineReply, LineClientError>
        do throws(LineClientError) {
            let reply = try await transport.send(request)
            if !reply.failures.isEmpty {
                logger.notice("load balancers skipped before one answered", metadata: [
                    "user": "\(session.username)", "answeredBy": "\(reply.endpoint)", "failures": "\(Self.list(reply.failures))",
                ])
            }
            result = .success(reply)
        } catch {
            result = .failure(error)
        }
        let outcome = session.outcome(of: result)
        log(outcome, result: result)
        return outcome
    }

    private func openSession(on server: String, for username: String) async -> Int32 {
        let arguments = settings.displayCommand.arguments(server: server)
        await terminal.write("Starting the session for \(TerminalText.printable(username)) on \(server)...\n")
        do {
            let exit = try await launcher.run(arguments)
            logger.info("session ended", metadata: ["user": "\(username)", "server": "\(server)", "exit": "\(exit)"])
            if !Task.isCancelled {
                let how = exit == .exited(0) ? "" : " (\(exit))"
                await terminal.write("Session on \(server) ended\(how).\n")
            }
            return exit.status
        } catch {
            logger.error("display command could not be started", metadata: [
                "command": "\(arguments.joined(separator: " "))", "error": "\(error)",
            ])
            await terminal.write("Cannot start the display: \(error). Please tell your administrator.\n")
            return error.exitStatus
        }
    }

    private func show(_ outcome: LoginOutcome) async {
        guard let message = outcome.message else { return }
        await terminal.write(message + "\n")
    }

    /// What the administrator sees on standard error: which load balancers failed and why when
    /// none could place the user, and any answer the cluster should not have given.
    private func log(_ outcome: LoginOutcome, result: Result<LineReply, LineClientError>) {
        let answeredBy: Logger.MetadataValue = (try? result.get()).map { "\($0.endpoint)" } ?? "none"
        switch outcome {
        case .startSession(let server):
            logger.info("server chosen", metadata: ["server": "\(server)", "answeredBy": answeredBy])
        case .noServer(let name, let failures):
            logger.warning("no load balancer could place the user", metadata: [
                "user": "\(name)", "failures": "\(failures.isEmpty ? "no load balancer tried" : Self.list(failures))",
            ])
        case .unknownUser(let name):
            logger.info("unknown user", metadata: ["user": "\(name)", "answeredBy": answeredBy])
        case .invalidUsername, .cancelled:
            break
        case .rateLimited(let text):
            logger.warning("rate limited", metadata: ["answeredBy": answeredBy, "message": "\(text)"])
        case let .refused(name, code, text):
            logger.warning("login refused", metadata: [
                "user": "\(name)", "code": "\(code)", "message": "\(text)", "answeredBy": answeredBy,
            ])
        case let .unusableAnswer(name, answer):
            logger.error("load balancer answer has no usable server address", metadata: [
                "user": "\(name)", "answer": "\(answer)", "answeredBy": answeredBy,
            ])
        }
    }

    private static func list(_ failures: [EndpointFailure]) -> String {
        failures.map(\.description).joined(separator: "; ")
    }
}
