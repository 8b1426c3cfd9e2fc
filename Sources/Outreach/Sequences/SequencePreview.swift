import Foundation
import LeadgenCore

/// What a sequence's messages say to one lead, step by step, rendered as they would be sent.
public struct SequencePreview: Sendable, Equatable, Encodable {
    public struct Message: Sendable, Equatable, Encodable {
        public var variant: String?
        public var subject: String?
        public var text: String
        public var html: String?
    }

    public struct Step: Sendable, Equatable, Encodable {
        public var id: String
        public var type: String
        /// E-mail variants or the SMS; empty for other steps.
        public var messages: [Message]
        /// What a step that sends nothing does ("wait 3 business days").
        public var summary: String?
    }

    public var steps: [Step]

    public init(_ sequence: SequenceDefinition, lead: Lead, company: Company?, sender: Sender) {
        let values = MessageVariables.values(lead: lead, company: company, sender: sender)
        let fallbacks = MessageVariables.defaultFallbacks.merging(sequence.fallbacks) { $1 }
        steps = sequence.steps.map { step in
            switch step.kind {
            case .email(let variants):
                return Step(
                    id: step.id, type: "email",
                    messages: variants.map { variant in
                        Message(
                            variant: variants.count > 1 ? variant.name : nil,
                            subject: variant.subject.render(values, fallbacks: fallbacks),
                            text: variant.text.render(values, fallbacks: fallbacks),
                            html: variant.html?.render(values, fallbacks: fallbacks, html: true))
                    }, summary: nil)
            case .sms(let body, _):
                return Step(
                    id: step.id, type: "sms",
                    messages: [
                        Message(variant: nil, subject: nil, text: body.render(values, fallbacks: fallbacks), html: nil)
                    ],
                    summary: nil)
            case .wait(let days, let hours, let business):
                var parts: [String] = []
                if days > 0 { parts.append("\(days) \(business ? "business " : "")day\(days == 1 ? "" : "s")") }
                if hours > 0 { parts.append("\(hours) hour\(hours == 1 ? "" : "s")") }
                return Step(
                    id: step.id, type: "wait", messages: [], summary: "wait " + parts.joined(separator: " and "))
            case .condition(let condition, let then, let otherwise):
                let test: String =
                    switch condition {
                    case .engaged(let event): "if the lead \(event) the last e-mail"
                    case .notEngaged(let event): "if the lead has not \(event) the last e-mail"
                    case .field(let field, let value): "if \(field) is \(value)"
                    }
                return Step(
                    id: step.id, type: "condition", messages: [],
                    summary: "\(test), go to \(then)" + (otherwise.map { ", else to \($0)" } ?? ", else go on"))
            case .task(let title):
                let rendered = (try? MustacheTemplate(parsing: title))?.render(values, fallbacks: fallbacks) ?? title
                return Step(id: step.id, type: "task", messages: [], summary: rendered)
            case .webhook(let url):
                return Step(id: step.id, type: "webhook", messages: [], summary: "POST \(url.absoluteString)")
            }
        }
    }
}
