import Foundation

/// A fake of Twilio's Messages resource (docs/reference/messaging.md §3.1): `POST
/// /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP Basic `AccountSid:AuthToken` and a form body,
/// 201 with the Message JSON (status `queued`, counts as strings, RFC 2822 dates), and Twilio's error bodies:
/// 20003 for bad credentials (401), 21211 for a To that is not a phone number, 21606 for a From that is not
/// one of the account's numbers, 21610 for a recipient who replied STOP. Every accepted message is kept for the
/// ledger; `stopped` holds the numbers that opted out.
/// A message with a `StatusCallback` gets `sent` and `delivered` posted to it, signed.
actor TwilioFake {
    let options: SandboxOptions
    let faults: FaultPlan
    let callbacks: MessagingCallbacks
    let now: @Sendable () -> Date
    var messages: [[String: Any]] = []
    var stopped: Set<String> = []
    var calls = 0
    var nextID = 1

    init(
        options: SandboxOptions, faults: FaultPlan, callbacks: MessagingCallbacks,
        now: @escaping @Sendable () -> Date
    ) {
        self.options = options
        self.faults = faults
        self.callbacks = callbacks
        self.now = now
    }

    /// `GET /2010-04-01/Accounts/{AccountSid}.json`: the sandbox's account, active and full (not a trial).
    static func account() -> SandboxResponse {
        let sid = SandboxOptions.twilioAccountSID
        return .json(
            200,
            [
                "sid": sid, "friendly_name": "Leadgen sandbox", "status": "active", "type": "Full",
                "auth_token": SandboxOptions.twilioAuthToken, "owner_account_sid": sid,
                "date_created": "Thu, 01 Jan 2026 00:00:00 +0000", "date_updated": "Thu, 01 Jan 2026 00:00:00 +0000",
                "uri": "/2010-04-01/Accounts/\(sid).json",
                "subresource_uris": ["messages": "/2010-04-01/Accounts/\(sid)/Messages.json"],
            ])
    }

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        calls += 1
        let parts = request.path.split(separator: "/").map(String.init)
        let isAccount =
            request.method == "GET" && parts.count == 3 && parts[0] == "2010-04-01" && parts[1] == "Accounts"
            && parts[2].hasSuffix(".json")
        guard
            isAccount
                || (request.method == "POST" && parts.count == 4 && parts[0] == "2010-04-01"
                    && parts[1] == "Accounts" && parts[3] == "Messages.json")
        else { return Self.error(404, 20404, "The requested resource \(request.path) was not found") }
        let account = isAccount ? String(parts[2].dropLast(".json".count)) : parts[2]
        let expected =
            "Basic "
            + Data("\(SandboxOptions.twilioAccountSID):\(SandboxOptions.twilioAuthToken)".utf8)
            .base64EncodedString()
        guard account == SandboxOptions.twilioAccountSID, request.header("authorization") == expected else {
            return Self.error(401, 20003, "Authenticate")
        }
        if isAccount { return Self.account() }
        if let fault = await faults.next(for: request.path) {
            if let delay = fault.delayMilliseconds { try? await Task.sleep(for: .milliseconds(delay)) }
            let headers = fault.retryAfter.map { [("Retry-After", String($0))] } ?? []
            return Self.error(fault.status, fault.status == 429 ? 20429 : 20500, "Planned fault", headers: headers)
        }
        let fields = Self.form(request.body)
        guard let to = fields["To"], !to.isEmpty else {
            return Self.error(400, 21604, "A 'To' phone number is required.")
        }
        guard Self.isE164(to) else {
            return Self.error(400, 21211, "The 'To' number \(to) is not a valid phone number.")
        }
        let from = fields["From"]
        if fields["MessagingServiceSid"] == nil {
            guard let from, from == SandboxOptions.twilioFromNumber else {
                return Self.error(
                    400, 21606,
                    "The From phone number \(fields["From"] ?? "") is not a valid, SMS-capable inbound phone number or short code for your account."
                )
            }
        }
        guard let body = fields["Body"], !body.isEmpty else {
            return Self.error(400, 21602, "Message body is required.")
        }
        if stopped.contains(to) {
            return Self.error(400, 21610, "Attempt to send to unsubscribed recipient")
        }
        let sid = "SM" + String(format: "%032x", nextID)
        nextID += 1
        let date = Self.rfc2822(now())
        let segments = (body.utf16.count + 152) / 153
        messages.append([
            "sid": sid, "to": to, "from": from ?? "", "body": body,
            "status_callback": (fields["StatusCallback"] as Any?) ?? null,
        ])
        if let callback = fields["StatusCallback"].flatMap(URL.init(string:)) {
            for status in ["sent", "delivered"] {
                callbacks.twilio(
                    callback,
                    [
                        ("MessageSid", sid), ("SmsSid", sid), ("AccountSid", account), ("From", from ?? ""), ("To", to),
                        ("MessageStatus", status), ("SmsStatus", status), ("ApiVersion", "2010-04-01"),
                    ])
            }
        }
        return .json(
            201,
            [
                "sid": sid, "account_sid": account,
                "messaging_service_sid": (fields["MessagingServiceSid"] as Any?) ?? null,
                "from": (from as Any?) ?? null, "to": to, "body": body, "status": "queued", "direction": "outbound-api",
                "api_version": "2010-04-01", "num_segments": String(max(1, segments)), "num_media": "0", "price": null,
                "price_unit": "USD", "error_code": null, "error_message": null, "date_created": date,
                "date_updated": date, "date_sent": null,
                "uri": "/2010-04-01/Accounts/\(account)/Messages/\(sid).json",
                "subresource_uris": ["media": "/2010-04-01/Accounts/\(account)/Messages/\(sid)/Media.json"],
            ])
    }

    /// Records an opt-out (as a STOP reply does).
    func stop(_ number: String) { stopped.insert(number) }

    /// An SMS from `from` to the sandbox number, posted to our inbound webhook; Twilio's own keyword handling
    /// first (STOP and the other opt-out words block further messages, START lifts it).
    func inbound(from: String, body: String) {
        let word = body.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        if ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"].contains(word) { stopped.insert(from) }
        if ["START", "YES", "UNSTOP"].contains(word) { stopped.remove(from) }
        let sid = "SM" + String(format: "%032x", 1_000_000 + nextID)
        nextID += 1
        callbacks.twilioInbound([
            ("MessageSid", sid), ("SmsSid", sid), ("AccountSid", SandboxOptions.twilioAccountSID),
            ("From", from), ("To", SandboxOptions.twilioFromNumber), ("Body", body), ("NumMedia", "0"),
            ("NumSegments", "1"),
        ])
    }

    static func isE164(_ text: String) -> Bool {
        text.hasPrefix("+") && text.count >= 8 && text.count <= 16 && text.dropFirst().allSatisfy(\.isNumber)
    }

    static func form(_ body: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    static func rfc2822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    static func error(_ status: Int, _ code: Int, _ message: String, headers: [(name: String, value: String)] = [])
        -> SandboxResponse
    {
        .json(
            status,
            [
                "code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)",
                "status": status,
            ], headers: headers)
    }

    func ledger() -> SandboxResponse {
        .json(200, ["messages": messages, "stopped": stopped.sorted(), "calls": calls])
    }
}
