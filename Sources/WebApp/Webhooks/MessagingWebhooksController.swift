import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Providers
import Storage

/// The messaging vendors' webhooks (reference messaging.md §1.2–1.3, §2.2–2.3, §3.2–3.4). Each request is
/// checked as its vendor signs it and refused with 401 when the signature or its time is wrong; each event is
/// kept once in the engagement log, however often the vendor delivers it; opt-outs (unsubscribes, spam
/// reports, hard bounces, SMS STOP) go on the workspace's suppression list with an audit entry, and START
/// lifts an SMS opt-out. Each event is applied to the message it is about (`EngagementRecorder`): replies,
/// bounces, unsubscribes and spam reports stop the lead's sequence. Replies come in as SMS (Twilio's inbound
/// webhook) and as e-mail forwarded by a Mailgun route (`POST /webhooks/mailgun/inbound`, signed the same way
/// as Mailgun's webhooks) or posted by SendGrid's Inbound Parse (`POST /webhooks/sendgrid/inbound?token=…`).
///
/// The keys come from the environment, which serves the default workspace; an e-mail event that names its
/// workspace (`leadgen_workspace_id`, set as a custom argument or variable when sending) goes to that one.
struct MessagingWebhooksController {
    let sendgridKey: String?
    let sendgridInboundToken: String?
    let mailgunKey: String?
    let twilioToken: String?
    let publicURL: URL?
    let events: MessageEventStore
    let suppressions: SuppressionStore
    let webhooks: WebhookStore
    let workspaces: WorkspaceStore
    let engagement: EngagementRecorder
    let maxBody: Int
    let now: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.post("webhooks/sendgrid/events", use: sendgrid)
        router.post("webhooks/sendgrid/inbound", use: sendgridInbound)
        router.post("webhooks/mailgun/events", use: mailgun)
        router.post("webhooks/mailgun/inbound", use: mailgunInbound)
        router.post("webhooks/twilio/status", use: twilioStatus)
        router.post("webhooks/twilio/inbound", use: twilioInbound)
    }

    struct Receipt: Encodable {
        var received: Int
        var recorded: Int
    }

    static func notConfigured(_ vendor: String, _ setting: String) -> Problem {
        Problem(status: .notFound, title: "Not Found", detail: "\(vendor) webhooks are not enabled: set \(setting)")
    }

    static func unauthorized(_ reason: String) -> Problem {
        Problem(status: .unauthorized, title: "Unauthorized", detail: reason)
    }

    func body(_ request: Request) async throws -> Data {
        do { return Data(buffer: try await request.body.collect(upTo: maxBody)) } catch {
            throw Problem.tooLarge(limit: maxBody)
        }
    }

    func workspace(named id: String?) async throws -> WorkspaceID {
        if let id, let found = try await workspaces.find(id: WorkspaceID(rawValue: id)) { return found.id }
        guard let fallback = try await workspaces.find(slug: "default") else {
            throw Problem(status: .conflict, title: "Conflict", detail: "there is no default workspace yet")
        }
        return fallback.id
    }

    static func json(_ object: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map {
            String(decoding: $0, as: UTF8.self)
        } ?? "{}"
    }

    // MARK: SendGrid

    @Sendable func sendgrid(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let sendgridKey else { throw Self.notConfigured("SendGrid", "SENDGRID_WEBHOOK_PUBLIC_KEY") }
        let data = try await body(request)
        do {
            try SendGridEventSignature.verify(
                publicKey: sendgridKey,
                signature: request.headers[values: .init(SendGridEventSignature.signatureHeader)!].first,
                timestamp: request.headers[values: .init(SendGridEventSignature.timestampHeader)!].first, body: data,
                now: now())
        } catch {
            throw Self.unauthorized(error.description)
        }
        guard let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw Problem.badRequest("the body is not a JSON array of SendGrid events")
        }
        var recorded = 0
        for event in list {
            guard let key = event["sg_event_id"] as? String, let type = event["event"] as? String else { continue }
            let email = event["email"] as? String
            let kind = Self.sendgridKind(type, event)
            let workspace = try await workspace(named: event["leadgen_workspace_id"] as? String)
            let message = (event["sg_message_id"] as? String).map { String($0.split(separator: ".").first ?? "") }
            let occurred = (event["timestamp"] as? Double).map(Date.init(timeIntervalSince1970:)) ?? now()
            let new = try await events.record(
                MessageEvent(
                    provider: "sendgrid", eventKey: key, kind: kind, recipient: email, providerMessageID: message,
                    payload: Self.json(event), occurredAt: occurred), in: workspace)
            guard new else { continue }
            recorded += 1
            if let email {
                try await applySuppression(kind: kind, email: email, source: "sendgrid", workspace: workspace)
            }
            try await engagement.record(
                kind: kind,
                .init(
                    messageID: event["leadgen_message_id"] as? String, provider: "sendgrid",
                    providerMessageID: message),
                at: occurred, event: ("sendgrid", key), in: workspace)
        }
        return try JSONResponse.make(Receipt(received: list.count, recorded: recorded))
    }

    /// A reply posted by SendGrid's Inbound Parse: `multipart/form-data` with `from`, `to`, `subject`, `text`,
    /// `html` and `headers` (the raw header block). SendGrid signs nothing it parses, so the URL configured in
    /// SendGrid carries a secret, `?token=SENDGRID_INBOUND_PARSE_TOKEN`, compared in constant time. The reply
    /// is matched to the message its `In-Reply-To` names (SendGrid's Message-ID starts with the message's
    /// X-Message-Id — inferred from the smtp-id shape of reference messaging.md §1.2), else to the latest message
    /// sent to its sender.
    @Sendable func sendgridInbound(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let sendgridInboundToken else {
            throw Self.notConfigured("SendGrid Inbound Parse", "SENDGRID_INBOUND_PARSE_TOKEN")
        }
        let given = request.uri.queryParameters["token"].map(String.init) ?? ""
        guard ConstantTime.equal(Array(given.utf8), Array(sendgridInboundToken.utf8)) else {
            throw Self.unauthorized("the Inbound Parse URL's token is wrong")
        }
        let fields = try await MultipartFields.read(request, limit: maxBody)
        guard let from = fields["from"], !from.isEmpty else {
            throw Problem.badRequest("a parsed e-mail needs a from field", field: "from")
        }
        let headers = Self.headerLines(fields["headers"] ?? "")
        let address = Self.address(from)
        let inReplyTo = headers["in-reply-to"].map(Self.bare)
        let key =
            headers["message-id"].map(Self.bare)
            ?? "\(address):\(fields["subject"] ?? ""):\(fields["text"]?.prefix(200) ?? "")"
        let workspace = try await workspace(named: nil)
        let new = try await events.record(
            MessageEvent(
                provider: "sendgrid", eventKey: "inbound:" + key, kind: "replied", recipient: address,
                providerMessageID: inReplyTo, payload: Self.json(fields.filter { $0.key != "html" }),
                occurredAt: now()),
            in: workspace)
        if new {
            // SendGrid's Message-ID: <X-Message-Id@host>; the part before @ names the message.
            let messageID = inReplyTo.map { String($0.split(separator: "@").first ?? "") }
            try await engagement.record(
                kind: "replied",
                .init(provider: "sendgrid", providerMessageID: messageID, from: address, channel: "email"),
                at: now(), event: ("sendgrid", "inbound:" + key), in: workspace)
        }
        return try JSONResponse.make(Receipt(received: 1, recorded: new ? 1 : 0))
    }

    /// A raw header block's headers, lower-cased names, folded lines joined.
    static func headerLines(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        var last: String?
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            if line.first == " " || line.first == "\t", let name = last {
                headers[name, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            last = name
        }
        return headers
    }

    /// SendGrid's event names as the engagement log says them.
    static func sendgridKind(_ type: String, _ event: [String: Any]) -> String {
        switch type {
        case "bounce": event["type"] as? String == "blocked" ? "blocked" : "bounced"
        case "open": "opened"
        case "click": "clicked"
        case "spamreport": "spam_report"
        case "unsubscribe", "group_unsubscribe": "unsubscribed"
        case "group_resubscribe": "resubscribed"
        case "dropped":
            switch event["reason"] as? String {
            case "Unsubscribed Address": "dropped_unsubscribed"
            case "Bounced Address": "dropped_bounced"
            case "Spam Reporting Address": "dropped_spam_report"
            default: "dropped"
            }
        default: type
        }
    }

    func applySuppression(kind: String, email: String, source: String, workspace: WorkspaceID) async throws {
        switch kind {
        case "bounced", "dropped_bounced":
            try await suppressions.suppress(.email, email, reason: "bounced", source: source, in: workspace)
        case "spam_report", "dropped_spam_report":
            try await suppressions.suppress(.email, email, reason: "spam_report", source: source, in: workspace)
        case "unsubscribed", "dropped_unsubscribed":
            try await suppressions.suppress(.email, email, reason: "unsubscribed", source: source, in: workspace)
        default: break
        }
    }

    // MARK: Mailgun

    @Sendable func mailgun(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let mailgunKey else { throw Self.notConfigured("Mailgun", "MAILGUN_WEBHOOK_SIGNING_KEY") }
        let data = try await body(request)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Problem.badRequest("the body is not Mailgun's JSON {\"signature\": …, \"event-data\": …}")
        }
        let signature = object["signature"] as? [String: Any]
        let token = signature?["token"] as? String
        do {
            try MailgunWebhookSignature.verify(
                signingKey: mailgunKey,
                timestamp: (signature?["timestamp"] as? String) ?? (signature?["timestamp"] as? Int).map(String.init),
                token: token, signature: signature?["signature"] as? String, now: now())
        } catch {
            throw Self.unauthorized(error.description)
        }
        guard let event = object["event-data"] as? [String: Any], let key = event["id"] as? String,
            let type = event["event"] as? String
        else { throw Problem.badRequest("event-data needs an id and an event") }
        let variables = event["user-variables"] as? [String: Any] ?? [:]
        let workspace = try await workspace(named: variables["leadgen_workspace_id"] as? String)
        // A signature covers only the timestamp and token, so a token is accepted for one event only.
        if let token, try await webhooks.hasDelivery(provider: "mailgun-token", key: token),
            try await !webhooks.hasDelivery(provider: "mailgun-event", key: key)
        {
            throw Self.unauthorized("this signature's token was used already")
        }
        let kind = Self.mailgunKind(type, event)
        let recipient = event["recipient"] as? String
        let headers = (event["message"] as? [String: Any])?["headers"] as? [String: Any]
        let new = try await events.record(
            MessageEvent(
                provider: "mailgun", eventKey: key, kind: kind, recipient: recipient,
                providerMessageID: headers?["message-id"] as? String, payload: Self.json(event),
                occurredAt: (event["timestamp"] as? Double).map(Date.init(timeIntervalSince1970:)) ?? now()),
            in: workspace)
        if let token { _ = try await webhooks.recordDelivery(provider: "mailgun-token", key: token) }
        _ = try await webhooks.recordDelivery(provider: "mailgun-event", key: key)
        if new, let recipient {
            try await applySuppression(kind: kind, email: recipient, source: "mailgun", workspace: workspace)
        }
        if new {
            try await engagement.record(
                kind: kind,
                .init(
                    messageID: variables["leadgen_message_id"] as? String, provider: "mailgun",
                    providerMessageID: headers?["message-id"] as? String),
                at: (event["timestamp"] as? Double).map(Date.init(timeIntervalSince1970:)) ?? now(),
                event: ("mailgun", key), in: workspace)
        }
        return try JSONResponse.make(Receipt(received: 1, recorded: new ? 1 : 0))
    }

    /// An e-mail reply forwarded by a Mailgun route (`forward("…/webhooks/mailgun/inbound")`): a form with the
    /// message (`sender`, `In-Reply-To`, `stripped-text`…) and the same `timestamp`, `token` and `signature`
    /// as Mailgun's webhooks. The reply is matched to the message it answers by `In-Reply-To`, else to the
    /// latest message sent to its sender.
    @Sendable func mailgunInbound(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let mailgunKey else { throw Self.notConfigured("Mailgun", "MAILGUN_WEBHOOK_SIGNING_KEY") }
        let fields = Dictionary(Self.form(try await body(request)), uniquingKeysWith: { first, _ in first })
        do {
            try MailgunWebhookSignature.verify(
                signingKey: mailgunKey, timestamp: fields["timestamp"], token: fields["token"],
                signature: fields["signature"], now: now())
        } catch {
            throw Self.unauthorized(error.description)
        }
        if let token = fields["token"], try await !webhooks.recordDelivery(provider: "mailgun-token", key: token) {
            throw Self.unauthorized("this signature's token was used already")
        }
        guard let sender = fields["sender"] ?? fields["from"], let key = fields["Message-Id"] ?? fields["token"] else {
            throw Problem.badRequest("a forwarded message needs sender and Message-Id")
        }
        let address = Self.address(sender)
        let workspace = try await workspace(named: nil)
        let new = try await events.record(
            MessageEvent(
                provider: "mailgun", eventKey: "inbound:" + key, kind: "replied", recipient: address,
                providerMessageID: fields["In-Reply-To"].map(Self.bare), payload: Self.json(fields), occurredAt: now()),
            in: workspace)
        if new {
            try await engagement.record(
                kind: "replied",
                .init(
                    provider: "mailgun", providerMessageID: fields["In-Reply-To"].map(Self.bare), from: address,
                    channel: "email"),
                at: now(), event: ("mailgun", "inbound:" + key), in: workspace)
        }
        return try JSONResponse.make(Receipt(received: 1, recorded: new ? 1 : 0))
    }

    /// The address in `Name <address>`.
    static func address(_ text: String) -> String {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            return text.trimmingCharacters(in: .whitespaces).lowercased()
        }
        return String(text[text.index(after: open)..<close]).lowercased()
    }

    static func bare(_ id: String) -> String { id.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")) }

    static func mailgunKind(_ type: String, _ event: [String: Any]) -> String {
        switch type {
        case "failed": event["severity"] as? String == "permanent" ? "bounced" : "deferred"
        case "complained": "spam_report"
        default: type
        }
    }

    // MARK: Twilio

    func verifyTwilio(_ request: Request, _ data: Data) throws -> [(String, String)] {
        guard let twilioToken else { throw Self.notConfigured("Twilio", "TWILIO_AUTH_TOKEN") }
        let parameters = Self.form(data)
        guard let signature = request.headers[values: .init(TwilioSignature.header)!].first,
            TwilioSignature.isValid(
                authToken: twilioToken, url: PublicRequestURL.of(request, publicURL: publicURL),
                parameters: parameters, signature: signature)
        else { throw Self.unauthorized("the X-Twilio-Signature does not match this request") }
        return parameters
    }

    @Sendable func twilioStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try verifyTwilio(request, try await body(request))
        let fields = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        guard let sid = fields["MessageSid"], let status = fields["MessageStatus"] else {
            throw Problem.badRequest("a status callback needs MessageSid and MessageStatus")
        }
        // Our own callbacks carry the message and its workspace in the query (signed with the URL).
        let query = request.uri.queryParameters
        let workspace = try await workspace(named: query["leadgen_workspace_id"].map(String.init))
        let new = try await events.record(
            MessageEvent(
                provider: "twilio", eventKey: "\(sid):\(status)", kind: status, recipient: fields["To"],
                providerMessageID: sid, payload: Self.json(fields), occurredAt: now()), in: workspace)
        // 21610: the recipient had replied STOP, so Twilio refused the message.
        if new, fields["ErrorCode"] == "21610", let to = fields["To"] {
            try await suppressions.suppress(
                .phone, to, reason: "sms_stop", source: "twilio", detail: "error 21610", in: workspace)
        }
        if new {
            try await engagement.record(
                kind: status,
                .init(
                    messageID: query["leadgen_message_id"].map(String.init), provider: "twilio",
                    providerMessageID: sid, channel: "sms"), at: now(),
                event: ("twilio", "\(sid):\(status)"), in: workspace)
        }
        return Response(status: .noContent)
    }

    /// Twilio's default opt-out, opt-in and help keywords; the whole body, one word, any case.
    static let stopWords: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
    static let startWords: Set<String> = ["START", "YES", "UNSTOP"]
    static let helpWords: Set<String> = ["HELP", "INFO"]

    @Sendable func twilioInbound(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try verifyTwilio(request, try await body(request))
        let fields = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        guard let sid = fields["MessageSid"], let from = fields["From"] else {
            throw Problem.badRequest("an inbound message needs MessageSid and From")
        }
        let word = (fields["Body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let kind: String =
            switch fields["OptOutType"]?.uppercased() ?? word {
            case let w where Self.stopWords.contains(w) || w == "STOP": "sms_stop"
            case let w where Self.startWords.contains(w) || w == "START": "sms_start"
            case let w where Self.helpWords.contains(w) || w == "HELP": "sms_help"
            default: "replied"
            }
        let workspace = try await workspace(named: nil)
        let new = try await events.record(
            MessageEvent(
                provider: "twilio", eventKey: sid, kind: kind, recipient: from, providerMessageID: sid,
                payload: Self.json(fields), occurredAt: now()), in: workspace)
        if new {
            switch kind {
            case "sms_stop":
                try await suppressions.suppress(
                    .phone, from, reason: "sms_stop", source: "twilio", detail: word, in: workspace)
                try await engagement.record(
                    kind: "unsubscribed", .init(provider: "twilio", from: from, channel: "sms"), at: now(),
                    event: ("twilio", sid), in: workspace)
                try await engagement.suppressed(from, channel: "sms", reason: "sms_stop", in: workspace)
            case "replied":
                try await engagement.record(
                    kind: "replied", .init(provider: "twilio", from: from, channel: "sms"), at: now(),
                    event: ("twilio", sid), in: workspace)
            case "sms_start":
                try await suppressions.lift(
                    .phone, from, reason: "sms_start", source: "twilio", detail: word, in: workspace)
            default: break
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/xml"],
            body: .init(byteBuffer: ByteBuffer(string: #"<?xml version="1.0" encoding="UTF-8"?><Response />"#)))
    }

    /// A form body's parameters, in order, repeated names kept.
    static func form(_ data: Data) -> [(String, String)] {
        String(decoding: data, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }
}
