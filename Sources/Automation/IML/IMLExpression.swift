import LeadgenCore

/// A parsed IML expression: the inside of one `{{…}}` (docs/reference/make.md §3).
public indirect enum IMLExpression: Sendable, Equatable {
    case literal(JSON)
    /// Text written without quotes where a value was expected (`substring(Hello; 1; 3)`): taken as it is.
    case bareText(String)
    /// A module output or scenario variable: `1.items[1].title`, ``1.`First Name` ``, `var.scenario.name`.
    case path(IMLPath)
    /// `now`, `timestamp`, `uuid`, `random`, `pi`, `executionId`.
    case variable(String)
    /// `raw` holds each argument as written: an argument made only of bare words that cannot be evaluated
    /// (`formatDate(now; YYYY-MM-DD)`) is its text.
    case call(name: String, arguments: [IMLExpression], raw: [String])
    case negate(IMLExpression)
    case binary(IMLOperator, IMLExpression, IMLExpression)
}

/// Where a reference points: a module's output (`root` = its id) or a scenario variable (`root` = "var").
public struct IMLPath: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case key(String)
        /// `[n]`, 1-based.
        case index(Int)
        /// `[]`: the rest of the path is applied to every element.
        case each
    }

    public var root: String
    public var segments: [Segment]
}

/// Binary operators, loosest first: `|` (or), `&` (and), comparisons, `+ -`, `* / %`.
public enum IMLOperator: String, Sendable, Equatable {
    case or = "|", and = "&"
    case equal = "=", notEqual = "!=", less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
    case plus = "+", minus = "-", times = "*", divide = "/", remainder = "%"

    var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual: 3
        case .plus, .minus: 4
        case .times, .divide, .remainder: 5
        }
    }
}

/// A mistake in an expression, with the 1-based column where it was found.
public struct IMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 1-based position in the text given to the parser.
    public var position: Int

    public var description: String { "\(message) at position \(position)" }
}
