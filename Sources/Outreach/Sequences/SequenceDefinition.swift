import Foundation
import LeadgenCore

/// A sequence as a team writes it (JSON over the API and the CLI): ordered steps, when messages may go out,
/// and what stops a lead. Reading it checks everything a send would need later — every template parses,
/// every branch points at a step, every wait is positive — and names each problem by its JSON path.
public struct SequenceDefinition: Sendable, Equatable {
    public var name: String
    public var steps: [SequenceStep]
    public var window: SendWindow
    /// Days no message goes out, `YYYY-MM-DD` in the lead's time zone.
    public var holidays: Set<String>
    /// Stand-ins for empty template values, over `MessageVariables.defaultFallbacks`.
    public var fallbacks: [String: String]
    public var stopOnReply: Bool
    /// When one lead of a company replies, the company's other leads stop too.
    public var stopCompanyOnReply: Bool
    /// A lead active in another sequence is not enrolled.
    public var exclusive: Bool

    public init(json data: Data) throws(SequenceDefinitionError) {
        let object: [String: JSON]
        do {
            guard let parsed = try JSON.parse(data).objectValue else {
                throw SequenceDefinitionError([.init(path: "", message: "a sequence is a JSON object")])
            }
            object = parsed
        } catch let error as SequenceDefinitionError {
            throw error
        } catch {
            throw SequenceDefinitionError([.init(path: "", message: "not valid JSON")])
        }
        var reader = SequenceReader()
        let definition = reader.read(object)
        guard reader.problems.isEmpty, let definition else { throw SequenceDefinitionError(reader.problems) }
        self = definition
    }

    init(
        name: String, steps: [SequenceStep], window: SendWindow, holidays: Set<String>, fallbacks: [String: String],
        stopOnReply: Bool, stopCompanyOnReply: Bool, exclusive: Bool
    ) {
        self.name = name
        self.steps = steps
        self.window = window
        self.holidays = holidays
        self.fallbacks = fallbacks
        self.stopOnReply = stopOnReply
        self.stopCompanyOnReply = stopCompanyOnReply
        self.exclusive = exclusive
    }
}

extension SequenceDefinition {
    /// Each step's id and type, in order: what enrolments under way count their place by. A new definition with
    /// the same shape can replace this one while leads are in it (new wording, window, settings).
    public var shape: [String] {
        steps.map { step in
            let type: String =
                switch step.kind {
                case .email: "email"
                case .sms: "sms"
                case .wait: "wait"
                case .condition: "condition"
                case .task: "task"
                case .webhook: "webhook"
                }
            return step.id + ":" + type
        }
    }
}

/// One step. Steps run in order unless a condition sends the lead elsewhere (by step id).
public struct SequenceStep: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An automatic e-mail; several variants split the leads for an A/B test.
        case email(variants: [EmailVariant])
        case sms(body: MustacheTemplate, source: String)
        /// Waits this long (business days skip weekends and holidays).
        case wait(days: Int, hours: Int, businessDays: Bool)
        /// Goes to `then` when the lead `event` (opened, clicked, replied) the last e-mail — or, for `field`,
        /// when the lead's field equals `equals` — else to `otherwise` (nil: the next step).
        case condition(Condition, then: String, otherwise: String?)
        /// A task for a person (a call, a LinkedIn message); the lead goes on once it is done.
        case task(title: String)
        /// Calls a URL with the lead, and goes on.
        case webhook(url: URL)
    }

    public enum Condition: Sendable, Equatable {
        case engaged(String)
        case notEngaged(String)
        case field(String, equals: String)
    }

    public var id: String
    public var kind: Kind
}

public struct EmailVariant: Sendable, Equatable {
    public var name: String
    public var subject: MustacheTemplate
    public var text: MustacheTemplate
    public var html: MustacheTemplate?
    /// The share of leads it gets, relative to the other variants' weights.
    public var weight: Int
}

/// When messages may go out, in each lead's own time zone.
public struct SendWindow: Sendable, Equatable {
    /// 1 = Monday … 7 = Sunday.
    public var days: Set<Int>
    /// Minutes after midnight: from (included) to (excluded).
    public var from: Int
    public var to: Int

    public static let businessHours = SendWindow(days: [1, 2, 3, 4, 5], from: 9 * 60, to: 17 * 60)
}

/// What is wrong with a sequence, every problem by its JSON path.
public struct SequenceDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public typealias Problem = JSONProblem

    public var problems: [Problem]

    init(_ problems: [Problem]) { self.problems = problems }

    public var description: String {
        problems.map { ($0.path.isEmpty ? "" : "\($0.path): ") + $0.message }.joined(separator: "; ")
    }
}
