import Foundation

/// A `POST /v3/mail/send` body (docs/reference/messaging.md §1.1): personalizations (1–1000, each with `to`),
/// `from`, a subject and content (text/plain before text/html), and the per-message extras Leadgen uses.
public struct SendGridMail: Encodable, Sendable, Equatable {
    public struct Address: Encodable, Sendable, Equatable {
        public var email: String
        public var name: String?

        public init(email: String, name: String? = nil) {
            self.email = email
            self.name = name
        }
    }

    public struct Personalization: Encodable, Sendable, Equatable {
        public var to: [Address]
        public var subject: String?
        /// Flattened into every event SendGrid posts back (use namespaced keys such as `lead_id`).
        public var customArgs: [String: String]?
        /// `List-Unsubscribe` and `List-Unsubscribe-Post` go here.
        public var headers: [String: String]?
        /// Unix seconds, at most 72 hours ahead.
        public var sendAt: Int?

        public init(
            to: [Address], subject: String? = nil, customArgs: [String: String]? = nil,
            headers: [String: String]? = nil, sendAt: Int? = nil
        ) {
            self.to = to
            self.subject = subject
            self.customArgs = customArgs
            self.headers = headers
            self.sendAt = sendAt
        }

        enum CodingKeys: String, CodingKey {
            case to, subject, headers
            case customArgs = "custom_args"
            case sendAt = "send_at"
        }
    }

    public struct Content: Encodable, Sendable, Equatable {
        public var type: String
        public var value: String

        public init(type: String, value: String) {
            self.type = type
            self.value = value
        }
    }

    public var personalizations: [Personalization]
    public var from: Address
    public var replyTo: Address?
    public var subject: String?
    public var content: [Content]
    public var categories: [String]?

    public init(
        personalizations: [Personalization], from: Address, replyTo: Address? = nil, subject: String? = nil,
        text: String?, html: String? = nil, categories: [String]? = nil
    ) {
        self.personalizations = personalizations
        self.from = from
        self.replyTo = replyTo
        self.subject = subject
        // text/plain first, as SendGrid requires and its helper emits.
        self.content =
            (text.map { [Content(type: "text/plain", value: $0)] } ?? [])
            + (html.map { [Content(type: "text/html", value: $0)] } ?? [])
        self.categories = categories
    }

    enum CodingKeys: String, CodingKey {
        case personalizations, from, subject, content, categories
        case replyTo = "reply_to"
    }
}
