/// Why one input row was not imported, with the line it starts on.
public struct RowRejection: Error, Sendable, Equatable, Codable {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}
