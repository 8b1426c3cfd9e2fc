import Foundation

/// A fake of Mailgun's message sending (docs/reference/messaging.md §2.1): `POST /v3/{domain}/messages` with HTTP
/// Basic `api:<key>` and a urlencoded form, 200 `{"id": "<…@domain>", "message": "Queued. Thank you."}`;
/// 400 `{"message": …}` for a missing `from`, `to`, or body; `401 Forbidden` for a wrong key (inferred, as
/// commonly seen); 404 for a domain the account does not have. Every accepted message is kept for the ledger.
///
/// Each accepted message gets a `delivered` event back through the signed webhook (`failed`, permanent, for
/// an address whose local part starts with "bounce").
actor MailgunFake {
    let options: SandboxOptions
    let faults: FaultPlan
    let callbacks: MessagingCallbacks
    let now: @Sendable () -> Date
    var messages: [[String: Any]] = []
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

    /// `GET /v4/domains/{name}`: the sandbox's one sending domain, active, with the DNS records it would ask for.
    func domain(_ name: String, _ request: SandboxRequest) -> SandboxResponse {
        let expected = "Basic " + Data("api:\(SandboxOptions.mailgunAPIKey)".utf8).base64EncodedString()
        guard request.header("authorization") == expected else { return .text(401, "Forbidden") }
        guard name == SandboxOptions.mailgunDomain else { return .json(404, ["message": "Domain not found"]) }
        let record: [String: Any] = [
            "record_type": "TXT", "name": name, "value": "v=spf1 include:mailgun.org ~all", "valid": "valid",
            "cached": [String](),
        ]
        return .json(
            200,
            [
                "domain": [
                    "name": name, "state": "active", "type": "custom", "id": "5f0c0c0c0c0c0c0c0c0c0c0c",
                    "created_at": "Thu, 13 Oct 2011 18:02:00 GMT", "require_tls": false, "spam_action": "disabled",
                    "smtp_login": "postmaster@\(name)", "web_prefix": "email", "web_scheme": "https",
                ] as [String: Any],
                "receiving_dns_records": [[String: Any]](), "sending_dns_records": [record],
            ])
    }

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        calls += 1
        let parts = request.path.split(separator: "/").map(String.init)
        if request.method == "GET", parts.count == 3, parts[0] == "v4", parts[1] == "domains" {
            return domain(parts[2], request)
        }
        guard request.method == "POST", parts.count == 3, parts[0] == "v3", parts[2] == "messages" else {
            return .json(404, ["message": "Not Found"])
        }
        let expected = "Basic " + Data("api:\(SandboxOptions.mailgunAPIKey)".utf8).base64EncodedString()
        guard request.header("authorization") == expected else { return .text(401, "Forbidden") }
        let domain = parts[1]
        guard domain == SandboxOptions.mailgunDomain else {
            return .json(404, ["message": "Domain not found: \(domain)"])
        }
        if let fault = await faults.next(for: request.path) {
            if let delay = fault.delayMilliseconds { try? await Task.sleep(for: .milliseconds(delay)) }
            let headers = fault.retryAfter.map { [("Retry-After", String($0))] } ?? []
            return .json(fault.status, ["message": "Planned fault"], headers: headers)
        }
        var fields: [(String, String)] = []
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields.append((pieces[0], pieces.count > 1 ? pieces[1] : ""))
        }
        func values(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }
        guard let from = values("from").first, !from.isEmpty else {
            return .json(400, ["message": "from parameter is missing"])
        }
        let to = values("to").flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        guard !to.isEmpty else { return .json(400, ["message": "to parameter is missing"]) }
        guard !(values("text") + values("html") + values("template")).isEmpty else {
            return .json(400, ["message": "Need at least one of 'text', 'html' or 'template' parameters specified"])
        }
        let id = "<\(Int(now().timeIntervalSince1970)).\(nextID).fake@\(domain)>"
        nextID += 1
        var headers: [String: String] = [:]
        var variables: [String: String] = [:]
        for (name, value) in fields {
            if name.hasPrefix("h:") { headers[String(name.dropFirst(2))] = value }
            if name.hasPrefix("v:") { variables[String(name.dropFirst(2))] = value }
        }
        for recipient in to {
            let message: [String: Any] = [
                "id": id, "to": recipient, "from": from, "subject": values("subject").first ?? "",
                "tags": values("o:tag"), "headers": headers, "user-variables": variables,
                "text": values("text").first ?? "",
            ]
            messages.append(message)
            let address =
                recipient.split(separator: "<").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "> ")) }
                ?? recipient
            callbacks.mailgunEvent(
                address.lowercased().hasPrefix("bounce")
                    ? event(
                        "failed", message, recipient: address, extra: ["severity": "permanent", "reason": "bounce"])
                    : event("delivered", message, recipient: address))
        }
        return .json(200, ["id": id, "message": "Queued. Thank you."])
    }

    /// One event as Mailgun posts it (`event-data`).
    func event(_ type: String, _ message: [String: Any], recipient: String, extra: [String: Any] = [:])
        -> [String: Any]
    {
        var event = extra
        event["event"] = type
        event["id"] = String(format: "mgfake-event-%012d", nextEvent)
        event["timestamp"] = now().timeIntervalSince1970
        event["recipient"] = recipient
        event["tags"] = message["tags"] ?? []
        event["user-variables"] = message["user-variables"] ?? [String: String]()
        let id = (message["id"] as? String ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        event["message"] = [
            "headers": [
                "to": recipient, "from": message["from"] ?? "", "message-id": id, "subject": message["subject"] ?? "",
            ]
        ]
        nextEvent += 1
        return event
    }

    /// Sends an event (opened, clicked, failed, complained, unsubscribed) for the latest message to `to`.
    func engage(_ type: String, to: String) -> Bool {
        guard let message = messages.last(where: { ($0["to"] as? String ?? "").lowercased().contains(to.lowercased()) })
        else { return false }
        callbacks.mailgunEvent(
            event(
                type, message, recipient: to,
                extra: type == "failed" ? ["severity": "permanent", "reason": "bounce"] : [:]))
        return true
    }

    /// A reply from `from`, forwarded by a route: to the latest message Mailgun sent it (`In-Reply-To` names
    /// it), or, when the message went through another vendor, with no `In-Reply-To` Mailgun knows — replies
    /// reach a route whichever service sent the mail they answer.
    func reply(from: String, text: String) {
        let message = messages.last { ($0["to"] as? String ?? "").lowercased().contains(from.lowercased()) }
        var fields: [(String, String)] = [
            ("recipient", message?["from"] as? String ?? "replies@\(SandboxOptions.mailgunDomain)"), ("sender", from),
            ("from", from), ("subject", "Re: \(message?["subject"] as? String ?? "your message")"),
            ("body-plain", text), ("stripped-text", text), ("Message-Id", "<reply.\(nextEvent)@sandbox.example>"),
        ]
        if let id = message?["id"] as? String { fields += [("In-Reply-To", id), ("References", id)] }
        callbacks.mailgunRoute(fields)
        nextEvent += 1
    }

    func ledger() -> SandboxResponse {
        .json(200, ["messages": messages, "calls": calls])
    }
}
