import ClusterCore
import Testing

@testable import TCLogin

@Suite("Display command and program search")
struct DisplayCommandTests {
    @Test func theServerReplacesThePlaceholderInEveryArgument() throws {
        let command = try DisplayCommand(words: ["X", "-query", "{server}", "-terminate", "-from", "{server}", "-name", "x@{server}:0"])
        #expect(command.arguments(server: "10.0.0.7") == [
            "X", "-query", "10.0.0.7", "-terminate", "-from", "10.0.0.7", "-name", "x@10.0.0.7:0",
        ])
    }

    @Test func theDefaultIsThePapersXQueryWithTerminate() throws {
        let command = try DisplayCommand(words: LoginSection().displayCommand)
        #expect(command.arguments(server: "fd00::7") == ["X", "-query", "fd00::7", "-terminate"])
    }

    @Test func theOptionIsSplitAtSpacesWithoutQuoting() throws {
        let command = try DisplayCommand(option: "  Xephyr   :1 -query {server}\t-terminate ")
        #expect(command.words == ["Xephyr", ":1", "-query", "{server}", "-terminate"])
        let quoted = try DisplayCommand(option: "sh -c 'echo {server}'")
        #expect(quoted.words == ["sh", "-c", "'echo", "{server}'"])
    }

    @Test func aCommandWithoutThePlaceholderOrProgramIsRefused() {
        #expect(throws: LoginSetupError.badDisplayCommand("\"X -query 10.0.0.1\" does not contain {server}")) {
            try DisplayCommand(option: "X -query 10.0.0.1")
        }
        #expect(throws: LoginSetupError.self) { try DisplayCommand(option: "   ") }
        #expect(throws: LoginSetupError.self) { try DisplayCommand(words: ["", "{server}"]) }
    }

    @Test func aBareProgramIsFoundInTheFirstDirectoryOfThePathThatHoldsIt() throws {
        let search = ProgramSearch(searchPath: "::/opt/x/bin:/usr/bin/:/usr/local/bin") {
            ["/usr/bin/X", "/usr/local/bin/X"].contains($0)
        }
        #expect(try search.locate("X") == "/usr/bin/X")
    }

    @Test func aProgramWithASlashIsUsedAsItIs() throws {
        let search = ProgramSearch(searchPath: "/usr/bin") { $0 == "/opt/X" }
        #expect(try search.locate("/opt/X") == "/opt/X")
        #expect(throws: DisplayLaunchError.notExecutable(path: "./X")) { try search.locate("./X") }
    }

    @Test func aMissingProgramNamesThePathSearched() {
        let search = ProgramSearch(searchPath: "/usr/bin:/bin") { _ in false }
        #expect(throws: DisplayLaunchError.notFound(program: "X", searchPath: "/usr/bin:/bin")) { try search.locate("X") }
        #expect(DisplayLaunchError.notFound(program: "X", searchPath: "/usr/bin:/bin").description
            == "\"X\" was not found in /usr/bin:/bin")
        #expect(DisplayLaunchError.notFound(program: "X", searchPath: "").exitStatus == 127)
    }
}
