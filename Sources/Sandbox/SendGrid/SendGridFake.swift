import Foundation

/// A fake of SendGrid's v3 Mail Send (docs/reference/messaging.md §1.1): `POST /v3/mail/send` with
/// `Authorization: Bearer <key>`, the body checked as SendGrid checks it (personalizations 1–1000 each with a
/// valid `to`, `from`, a subject for every personalization, content with text/plain first), 202 with an
/// `X-Message-Id`, JSON errors `{"errors": [{message, field, help}]}`, and `X-RateLimit-*` headers on every
/// answer. The exact wording of the validation messages other than "Does not contain a valid address." is
/// inferred. Every recipient of an accepted mail is kept for the ledger, and gets `processed` and `delivered`
/// events back through the signed event webhook — or `bounce` for an address whose local part starts with
/// "bounce".
actor SendGridFake {
    let options: SandboxOptions
    let faults: FaultPlan
    let callbacks: MessagingCallbacks
    let now: @Sendable () -> Date
    var deliveries: [[String: Any]] = []
    var calls = 0
    var nextID = 1
    var nextEvent = 1

    init(
        options: SandboxOptions, faults: FaultPlan, callbacks: MessagingCallbacks,
        now: @escaping @Sendable () -> Date
    ) {
        self.options = options
        self.faults = faults
        self.callbacks = callbacks
        self.now = now
    }

    var rateHeaders: [(name: String, value: String)] {
        let reset = Int(now().timeIntervalSince1970) / 60 * 60 + 60
        return [("X-RateLimit-Limit", "600"), ("X-RateLimit-Remaining", "599"), ("X-RateLimit-Reset", String(reset))]
    }

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        calls += 1
        let route = (request.method, request.path)
        guard route == ("POST", "/v3/mail/send") || route == ("GET", "/v3/scopes") else {
            return Self.errors(404, [("not found", nil)], headers: rateHeaders)
        }
        guard let auth = request.header("authorization") else {
            return Self.errors(401, [("authorization required", nil)], headers: rateHeaders)
        }
        guard auth.hasPrefix("Bearer "), options.sendgridAPIKeys.contains(String(auth.dropFirst(7))) else {
            return Self.errors(
                401, [("The provided authorization grant is invalid, expired, or revoked", nil)], headers: rateHeaders)
        }
        if route == ("GET", "/v3/scopes") {
            // A key made for sending and for reading its event webhook's settings; which scopes a real key has
            // is chosen when it is made.
            let scopes = ["mail.send", "user.webhooks.event.settings.read", "user.webhooks.parse.settings.read"]
            return .json(200, ["scopes": scopes], headers: rateHeaders)
        }
        if let fault = await faults.next(for: request.path) {
            if let delay = fault.delayMilliseconds { try? await Task.sleep(for: .milliseconds(delay)) }
            var headers = rateHeaders
            if let retryAfter = fault.retryAfter { headers.append(("Retry-After", String(retryAfter))) }
            let message = fault.status == 429 ? "too many requests" : "internal error"
            return Self.errors(fault.status, [(message, nil)], headers: headers)
        }
        guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else {
            return Self.errors(400, [("Bad Request", nil)], headers: rateHeaders)
        }
        let problems = Self.validate(body)
        guard problems.isEmpty else { return Self.errors(400, problems, headers: rateHeaders) }
        let id = String(format: "sgfake%016d", nextID)
        nextID += 1
        let personalizations = body["personalizations"] as? [[String: Any]] ?? []
        let types = (body["content"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        var events: [[String: Any]] = []
        for personalization in personalizations {
            let customArgs =
                personalization["custom_args"] as? [String: Any] ?? body["custom_args"] as? [String: Any] ?? [:]
            for to in personalization["to"] as? [[String: Any]] ?? [] {
                let email = to["email"] as? String ?? ""
                events.append(event("processed", email: email, messageID: id, customArgs: customArgs))
                events.append(
                    email.lowercased().hasPrefix("bounce")
                        ? event(
                            "bounce", email: email, messageID: id, customArgs: customArgs,
                            extra: ["type": "bounce", "reason": "550 5.1.1 unknown recipient", "status": "5.1.1"])
                        : event(
                            "delivered", email: email, messageID: id, customArgs: customArgs,
                            extra: ["response": "250 OK"]))
                deliveries.append([
                    "message_id": id, "to": to["email"] ?? "", "from": (body["from"] as? [String: Any])?["email"] ?? "",
                    "subject": personalization["subject"] ?? body["subject"] ?? "",
                    "custom_args": personalization["custom_args"] ?? body["custom_args"] ?? [String: String](),
                    "headers": personalization["headers"] ?? body["headers"] ?? [String: String](),
                    "content_types": types, "send_at": personalization["send_at"] ?? null,
                    "text": (body["content"] as? [[String: Any]])?.first?["value"] ?? "",
                ])
            }
        }
        callbacks.sendgridEvents(events)
        return SandboxResponse(status: 202, headers: rateHeaders + [("X-Message-Id", id)])
    }

    /// One event as SendGrid posts it: custom arguments at the top level, reserved keys winning.
    func event(
        _ type: String, email: String, messageID: String, customArgs: [String: Any], extra: [String: Any] = [:]
    ) -> [String: Any] {
        var event = customArgs
        for (key, value) in extra { event[key] = value }
        event["email"] = email
        event["event"] = type
        event["timestamp"] = Int(now().timeIntervalSince1970)
        event["sg_event_id"] = String(format: "sgfake-event-%012d", nextEvent)
        event["sg_message_id"] = messageID + ".filter0001.16648.5515E0B88.0"
        event["smtp-id"] = "<\(messageID)@sandbox.sendgrid.example>"
        event["category"] = ["leadgen"]
        nextEvent += 1
        return event
    }

    /// A reply from `from` to the latest mail sent to it, as Inbound Parse posts it (its `In-Reply-To` is that
    /// mail's Message-ID); with no mail to it, a reply that names none.
    func reply(from: String, text: String) {
        let delivery = deliveries.last { ($0["to"] as? String)?.lowercased() == from.lowercased() }
        let to = delivery?["from"] as? String ?? "replies@inbound.sandbox.example"
        var headers = "From: \(from)\nTo: \(to)\nMessage-ID: <reply.\(nextEvent)@sandbox.example>\n"
        if let id = delivery?["message_id"] as? String { headers += "In-Reply-To: <\(id)@sandbox.sendgrid.example>\n" }
        nextEvent += 1
        callbacks.sendgridInbound([
            ("headers", headers), ("from", from), ("to", to),
            ("subject", "Re: \(delivery?["subject"] as? String ?? "your message")"), ("text", text),
            ("envelope", #"{"to":["\#(to)"],"from":"\#(from)"}"#),
            ("charsets", #"{"to":"UTF-8","from":"UTF-8","subject":"UTF-8","text":"UTF-8"}"#),
            ("SPF", "pass"),
        ])
    }

    /// Sends an engagement event (open, click, bounce, spamreport, unsubscribe) for the latest mail to `to`;
    /// false when no mail went to it.
    func engage(_ type: String, to: String) -> Bool {
        guard let delivery = deliveries.last(where: { ($0["to"] as? String)?.lowercased() == to.lowercased() }),
            let id = delivery["message_id"] as? String
        else { return false }
        var extra: [String: Any] = [:]
        switch type {
        case "open": extra = ["useragent": "Mozilla/5.0 (sandbox)", "ip": "192.0.2.1"]
        case "click": extra = ["useragent": "Mozilla/5.0 (sandbox)", "ip": "192.0.2.1", "url": "https://example.com/"]
        case "bounce": extra = ["type": "bounce", "reason": "550 5.1.1 unknown recipient", "status": "5.1.1"]
        default: break
        }
        callbacks.sendgridEvents([
            event(
                type, email: to, messageID: id, customArgs: delivery["custom_args"] as? [String: Any] ?? [:],
                extra: extra)
        ])
        return true
    }

    /// SendGrid's checks, each with the field it is about.
    static func validate(_ body: [String: Any]) -> [(String, String?)] {
        var problems: [(String, String?)] = []
        let personalizations = body["personalizations"] as? [[String: Any]] ?? []
        if personalizations.isEmpty {
            problems.append(
                (
                    "The personalizations field is required and must have at least one personalization.",
                    "personalizations"
                ))
        } else if personalizations.count > 1000 {
            problems.append(
                ("The personalizations field must have between 1 and 1000 personalizations.", "personalizations"))
        }
        var recipients = 0
        for (p, personalization) in personalizations.enumerated() {
            let to = personalization["to"] as? [[String: Any]] ?? []
            if to.isEmpty {
                problems.append(
                    (
                        "The to array is required for all personalization objects, and must have at least one email object with a valid email address.",
                        "personalizations.\(p).to"
                    ))
            }
            for (t, address) in to.enumerated() where !isAddress(address["email"] as? String) {
                problems.append(("Does not contain a valid address.", "personalizations.\(p).to.\(t).email"))
            }
            recipients +=
                to.count + (personalization["cc"] as? [Any] ?? []).count
                + (personalization["bcc"] as? [Any] ?? []).count
        }
        if recipients > 1000 {
            problems.append(("The total number of recipients must be less than 1000.", "personalizations"))
        }
        if !isAddress((body["from"] as? [String: Any])?["email"] as? String) {
            problems.append(
                (
                    "The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.",
                    "from.email"
                ))
        }
        let hasTemplate = body["template_id"] is String
        let subjects = personalizations.allSatisfy { ($0["subject"] as? String)?.isEmpty == false }
        if !hasTemplate, (body["subject"] as? String)?.isEmpty != false, !subjects {
            problems.append(
                (
                    "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.",
                    "subject"
                ))
        }
        let content = body["content"] as? [[String: Any]] ?? []
        if !hasTemplate, content.isEmpty {
            problems.append(
                (
                    "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.",
                    "content"
                ))
        }
        let types = content.compactMap { $0["type"] as? String }
        if let plain = types.firstIndex(of: "text/plain"), plain != 0 {
            problems.append(
                (
                    "If present, text/plain content must be first, followed by text/html, followed by any other content.",
                    "content"
                ))
        }
        return problems
    }

    static func isAddress(_ text: String?) -> Bool {
        guard let text, let at = text.firstIndex(of: "@"), at != text.startIndex else { return false }
        let domain = text[text.index(after: at)...]
        return domain.contains(".") && !domain.contains("@") && !text.contains(" ")
    }

    static func errors(
        _ status: Int, _ problems: [(String, String?)], headers: [(name: String, value: String)]
    ) -> SandboxResponse {
        .json(
            status,
            ["errors": problems.map { ["message": $0.0, "field": $0.1 ?? null, "help": null] as [String: Any] }],
            headers: headers)
    }

    func ledger() -> SandboxResponse {
        .json(200, ["deliveries": deliveries, "calls": calls])
    }
}
