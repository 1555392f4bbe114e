/// The command that opens the X session on the chosen server: a program and its arguments,
/// `{server}` standing for the server's address.
///
/// The default, `X -query {server} -terminate`, is the paper's change to LTSP (section 6): an
/// XDMCP query to the server the load balancer chose, and `-terminate` so that the X server exits
/// when the user logs out and control comes back to the username prompt. The command is run
/// without a shell, so an address is always exactly one argument whatever it contains.
struct DisplayCommand: Equatable, Sendable {
    /// What is replaced by the server's address, in every word.
    static let placeholder = "{server}"

    /// The program, then its arguments.
    let words: [String]

    /// A command from a list (the configuration key `login.displayCommand`), which must name a
    /// program and contain `{server}` somewhere: without it every user would land on the same
    /// machine, whatever the load balancer said.
    init(words: [String]) throws(LoginSetupError) {
        guard let program = words.first, !program.isEmpty else {
            throw .badDisplayCommand("the command is empty; expected e.g. \"X -query {server} -terminate\"")
        }
        guard words.contains(where: { $0.contains(Self.placeholder) }) else {
            throw .badDisplayCommand("\"\(words.joined(separator: " "))\" does not contain \(Self.placeholder)")
        }
        self.words = words
    }

    /// A command from the `--display-command` option: one string split at spaces, with no
    /// quoting. An argument that contains a space needs the configuration's list form.
    init(option text: String) throws(LoginSetupError) {
        try self.init(words: text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }

    /// The words with `{server}` replaced by `server` in each, ready to run.
    func arguments(server: String) -> [String] {
        words.map { $0.replacing(Self.placeholder, with: server) }
    }
}
