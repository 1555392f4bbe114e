import ClusterCore
import NIOCore

/// A transfer with everything its loop needs: the decisions, the socket, the OACK ready to send,
/// and what to do when it ends. Built by the request handler, handed to one `TransferLoop`
/// through its inbox, and from then on touched by that loop's thread alone.
final class ActiveTransfer: @unchecked Sendable {
    var transfer: Transfer
    let socket: TransferSocket
    let optionAcknowledgement: [UInt8]
    /// For the log: the name the client asked for, and its address.
    let name: String
    let client: SocketAddress
    let onFinish: @Sendable (Transfer.Outcome) -> Void

    init(transfer: Transfer, socket: TransferSocket, name: String, client: SocketAddress,
         onFinish: @escaping @Sendable (Transfer.Outcome) -> Void) {
        self.transfer = transfer
        self.socket = socket
        self.name = name
        self.client = client
        self.onFinish = onFinish
        let options = transfer.plan.negotiation.acknowledged
        // No OACK is ever sent without options (RFC 2347): nothing to build then.
        optionAcknowledgement = options.isEmpty ? [] : TFTPPacket.optionAcknowledgement(options).bytes
    }
}

extension TFTPPacket {
    /// The packet as bytes, for the few packets that are not file data (OACK, ERROR).
    var bytes: [UInt8] {
        var buffer = ByteBuffer()
        serialize(into: &buffer)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
