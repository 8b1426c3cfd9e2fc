import Foundation

/// A fake of Slack incoming webhooks (docs/reference/messaging.md §4.1): `POST /services/T…/B…/…` with JSON
/// `{text, blocks}` answers `200 ok` in plain text; errors are plain-text codes (`invalid_payload`,
/// `no_text`, `no_service` for a URL it does not know — that status is inferred, Slack's varies); about one
/// message a second per webhook with short bursts, beyond which it answers 429 with `Retry-After`.
/// Every message taken is kept for the ledger.
actor SlackFake {
    let options: SandboxOptions
    let faults: FaultPlan
    let now: @Sendable () -> Date
    var meter = FixedWindows()
    var messages: [[String: Any]] = []

    init(options: SandboxOptions, faults: FaultPlan, now: @escaping @Sendable () -> Date) {
        self.options = options
        self.faults = faults
        self.now = now
    }

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        guard request.method == "POST" else { return .text(405, "invalid_method") }
        guard options.slackWebhookPaths.contains(request.path) else { return .text(404, "no_service") }
        if let fault = await faults.next(for: request.path) {
            if let delay = fault.delayMilliseconds { try? await Task.sleep(for: .milliseconds(delay)) }
            let headers = fault.retryAfter.map { [("Retry-After", String($0))] } ?? []
            return .text(fault.status, fault.status == 429 ? "rate_limited" : "rollup_error", headers: headers)
        }
        // About one a second, bursts of up to five within a five-second window.
        let limit = max(1, Int(5 * options.rateLimitScale))
        let (admitted, state) = meter.admit(request.path, limits: [(5, limit)], now: now())
        guard admitted else {
            let wait = max(1, FixedWindows.secondsLeft(state[0], now: now()))
            return .text(429, "rate_limited", headers: [("Retry-After", String(wait))])
        }
        guard let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else {
            return .text(400, "invalid_payload")
        }
        let text = object["text"] as? String ?? ""
        let blocks = object["blocks"] as? [Any]
        guard !text.isEmpty || !(blocks ?? []).isEmpty else { return .text(400, "no_text") }
        var message: [String: Any] = ["webhook": request.path, "text": text]
        if let blocks { message["blocks"] = blocks }
        messages.append(message)
        return .text(200, "ok")
    }

    func ledger() -> SandboxResponse {
        .json(200, ["messages": messages])
    }
}
