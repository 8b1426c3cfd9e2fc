/// One record of a CSV file: its fields, the line it starts on, and what was wrong with it, if anything.
public struct CSVRecord: Sendable, Equatable {
    public var fields: [String]
    /// The 1-based physical line the record starts on (a quoted field may span several lines).
    public var line: Int
    public var problem: CSVProblem?

    public init(fields: [String], line: Int, problem: CSVProblem? = nil) {
        self.fields = fields
        self.line = line
        self.problem = problem
    }
}

/// Why a CSV record could not be read as RFC 4180 describes.
public enum CSVProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case unterminatedQuote(field: Int)
    case textAfterClosingQuote(field: Int)
    case invalidUTF8(field: Int)

    public var description: String {
        switch self {
        case .unterminatedQuote(let field): "field \(field) opens a quote that is never closed"
        case .textAfterClosingQuote(let field): "field \(field) has text after its closing quote"
        case .invalidUTF8(let field): "field \(field) is not valid UTF-8 text"
        }
    }
}
