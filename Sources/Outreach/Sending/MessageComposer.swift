import Foundation
import LeadgenCore

/// An e-mail or SMS rendered for one lead, ready for a vendor.
public struct ComposedMessage: Sendable, Equatable {
    public var variant: String?
    public var subject: String?
    public var text: String
    public var html: String?
    /// RFC 8058 one-click unsubscribe: `List-Unsubscribe` (the HTTPS link) and `List-Unsubscribe-Post`.
    public var headers: [(String, String)]

    public static func == (lhs: ComposedMessage, rhs: ComposedMessage) -> Bool {
        lhs.variant == rhs.variant && lhs.subject == rhs.subject && lhs.text == rhs.text && lhs.html == rhs.html
            && lhs.headers.map(\.0) == rhs.headers.map(\.0) && lhs.headers.map(\.1) == rhs.headers.map(\.1)
    }
}

/// Renders a step's message for a lead and adds what the law and the mailbox providers require of every
/// commercial e-mail (docs/reference/messaging.md §6): the sender's postal address and a visible unsubscribe link
/// in the body, and the one-click `List-Unsubscribe` headers.
public struct MessageComposer: Sendable {
    public let sequence: SequenceDefinition

    public init(sequence: SequenceDefinition) { self.sequence = sequence }

    var fallbacks: [String: String] { MessageVariables.defaultFallbacks.merging(sequence.fallbacks) { $1 } }

    public func email(
        _ variant: EmailVariant, lead: Lead, company: Company?, sender: Sender, unsubscribeURL: URL, hasVariants: Bool
    ) -> ComposedMessage {
        let values = MessageVariables.values(lead: lead, company: company, sender: sender)
        let text = variant.text.render(values, fallbacks: fallbacks)
        let footer = [sender.name, sender.physicalAddress].filter { !$0.isEmpty }.joined(separator: "\n")
        let textBody =
            text.trimmingCharacters(in: .newlines) + "\n\n--\n" + footer + "\n"
            + "Unsubscribe: \(unsubscribeURL.absoluteString)\n"
        let html = variant.html.map { template -> String in
            let escapedFooter = [sender.name, sender.physicalAddress].filter { !$0.isEmpty }.map(Self.escape)
                .joined(separator: "<br>")
            return template.render(values, fallbacks: fallbacks, html: true)
                + "<p style=\"color:#666;font-size:12px\">\(escapedFooter)<br>"
                + "<a href=\"\(Self.escape(unsubscribeURL.absoluteString))\">Unsubscribe</a></p>"
        }
        return ComposedMessage(
            variant: hasVariants ? variant.name : nil, subject: variant.subject.render(values, fallbacks: fallbacks),
            text: textBody, html: html,
            headers: [
                ("List-Unsubscribe", "<\(unsubscribeURL.absoluteString)>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ])
    }

    /// An SMS; carriers expect opt-out instructions, so the first message of a sequence says how (reference
    /// docs/reference/messaging.md §6.4).
    public func sms(_ body: MustacheTemplate, lead: Lead, company: Company?, sender: Sender, isFirst: Bool)
        -> ComposedMessage
    {
        let values = MessageVariables.values(lead: lead, company: company, sender: sender)
        var text = body.render(values, fallbacks: fallbacks)
        if isFirst, !text.uppercased().contains("STOP") { text += "\nReply STOP to opt out." }
        return ComposedMessage(variant: nil, subject: nil, text: text, html: nil, headers: [])
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
