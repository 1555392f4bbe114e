import NIOCore
import NIOEmbedded
import Testing

@testable import ClusterCore

@Suite("ConnectionDeadlineHandler")
struct ProtocolConnectionDeadlineTests {
    /// EmbeddedChannel turns every close into a full close; this records half closes
    /// instead, as a socket would do them, so the lingering close can be observed.
    private final class HalfCloseRecorder: ChannelOutboundHandler {
        typealias OutboundIn = Any
        var outputClosed = false

        func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
            guard mode == .output else { return context.close(mode: mode, promise: promise) }
            outputClosed = true
            promise?.succeed()
        }
    }

    private let recorder = HalfCloseRecorder()

    private func connectedChannel() async throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(
            recorder, ConnectionDeadlineHandler(idleTimeout: .milliseconds(300), lingerTimeout: .seconds(2))
        )
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4700)).get()
        return channel
    }

    @Test func aSilentPeerIsAnsweredTimeoutThenClosedAfterTheLingerPeriod() async throws {
        let channel = try await connectedChannel()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(299))
        #expect(try channel.readOutbound(as: Response.self) == nil)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(try channel.readOutbound(as: Response.self) == .error(.timeout, "idle connection closed"))
        #expect(recorder.outputClosed)
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func theDeadlineIsOffWhileARequestIsBeingHandled() async throws {
        let channel = try await connectedChannel()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        try channel.writeInbound(LineFrame.line("PING"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(try channel.readOutbound(as: Response.self) == nil)
        #expect(channel.isActive)

        // The answer restarts a full idle period.
        try channel.writeOutbound(Response.ok(["PONG"]))
        #expect(try channel.readOutbound(as: Response.self) == .ok(["PONG"]))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(299))
        #expect(try channel.readOutbound(as: Response.self) == nil)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(try channel.readOutbound(as: Response.self) == .error(.timeout, "idle connection closed"))
    }

    @Test func pipelinedRequestsKeepTheDeadlineOffUntilTheLastIsAnswered() async throws {
        let channel = try await connectedChannel()
        try channel.writeInbound(LineFrame.line("PING"))
        try channel.writeInbound(LineFrame.line("PING"))
        try channel.writeOutbound(Response.ok(["PONG"]))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(channel.isActive)
        #expect(!recorder.outputClosed)
        #expect(try channel.readOutbound(as: Response.self) == .ok(["PONG"]))
        #expect(try channel.readOutbound(as: Response.self) == nil)
    }

    @Test func aPeerThatDoesNotReadItsAnswersIsClosedWithoutALastWord() async throws {
        let channel = try await connectedChannel()
        try channel.writeInbound(LineFrame.line("PING"))
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(300))
        #expect(!channel.isActive)
        #expect(try channel.readOutbound(as: Response.self) == nil)
    }

    @Test func theConnectionClosesOnceATooLongLineIsAnswered() async throws {
        let channel = try await connectedChannel()
        try channel.writeInbound(LineFrame.tooLong)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(channel.isActive)
        try channel.writeOutbound(Response.error(.tooLong, "too long"))
        #expect(try channel.readOutbound(as: Response.self) == .error(.tooLong, "too long"))
        #expect(recorder.outputClosed)
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        #expect(try channel.readOutbound(as: Response.self) == nil)
    }
}
