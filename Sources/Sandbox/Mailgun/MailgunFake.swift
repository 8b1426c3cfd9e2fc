import Foundation

/// A fake of Mailgun's message sending (reference messaging.md §2.1): `POST /v3/{domain}/messages` with HTTP
/// Basic `api:<key>` and a urlencoded form, 200 `{"id": "<…@domain>", "message": "Queued. Thank you."}`;
/// 400 `{"message": …}` for a missing `from`, `to`, or body; `401 Forbidden` for a wrong key (inferred, as
/// commonly seen); 404 for a domain the account does not have. Every accepted message is kept for the ledger.
actor MailgunFake {
    let options: SandboxOptions
    let faults: FaultPlan
    let now: @Sendable () -> Date
    var messages: [[String: Any]] = []
    var calls = 0
    var nextID = 1

    init(options: SandboxOptions, faults: FaultPlan, now: @escaping @Sendable () -> Date = Date.init) {
        self.options = options
        self.faults = faults
        self.now = now
    }

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        calls += 1
        let parts = request.path.split(separator: "/").map(String.init)
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
            let pieces = pair.split(separator: "=", maxSplits: 1).map {
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
            messages.append([
                "id": id, "to": recipient, "from": from, "subject": values("subject").first ?? "",
                "tags": values("o:tag"), "headers": headers, "user-variables": variables,
            ])
        }
        return .json(200, ["id": id, "message": "Queued. Thank you."])
    }

    func ledger() -> SandboxResponse {
        .json(200, ["messages": messages, "calls": calls])
    }
}
