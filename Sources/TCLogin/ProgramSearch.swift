/// Finds the file a program name refers to, as execvp(3) would, but before anything is
/// started, so that "X not found" is a sentence at the prompt rather than a failed child.
struct ProgramSearch: Sendable {
    /// Used when the environment has no `PATH`, as a login shell would set it.
    static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    /// Directories separated by `:`.
    var searchPath: String
    /// Whether a path is an executable regular file; a parameter so tests need no files.
    var isExecutable: @Sendable (String) -> Bool

    /// A name with a `/` is used as it is; a bare name is looked up in each directory of the
    /// search path in turn. Empty entries are skipped rather than meaning the current directory
    /// (POSIX's legacy reading): tc-login starts in whatever directory its script left it.
    func locate(_ program: String) throws(DisplayLaunchError) -> String {
        if program.contains("/") {
            guard isExecutable(program) else { throw .notExecutable(path: program) }
            return program
        }
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = directory.hasSuffix("/") ? "\(directory)\(program)" : "\(directory)/\(program)"
            if isExecutable(candidate) { return candidate }
        }
        throw .notFound(program: program, searchPath: searchPath)
    }
}
