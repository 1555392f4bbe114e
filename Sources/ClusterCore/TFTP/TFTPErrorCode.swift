/// TFTP error codes (RFC 1350 appendix, RFC 2347 §3 for 8).
public struct TFTPErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// "Not defined, see error message": the message says what went wrong.
    public static let undefined = TFTPErrorCode(rawValue: 0)
    public static let fileNotFound = TFTPErrorCode(rawValue: 1)
    public static let accessViolation = TFTPErrorCode(rawValue: 2)
    public static let diskFull = TFTPErrorCode(rawValue: 3)
    public static let illegalOperation = TFTPErrorCode(rawValue: 4)
    public static let unknownTransferID = TFTPErrorCode(rawValue: 5)
    public static let fileExists = TFTPErrorCode(rawValue: 6)
    public static let noSuchUser = TFTPErrorCode(rawValue: 7)
    /// The client refuses the options the server acknowledged (RFC 2347 §3).
    public static let optionsRefused = TFTPErrorCode(rawValue: 8)

    public var description: String { String(rawValue) }
}
