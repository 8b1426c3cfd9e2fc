import Foundation

/// A fake of Make.com for the scenarios a team keeps there (docs/reference/make.md §6): the API v2 under
/// `/make/api/v2` (`GET /scenarios?teamId=…`, `POST /scenarios/{id}/run`) with `Authorization: Token …`
/// (or `Bearer …`), and custom webhooks under `/make/hooks/{token}`, which answer `Accepted`, 410 for a hook
/// no scenario listens to, and 429 beyond 300 requests in ten seconds. Error bodies have Make's shape
/// `{message, detail, code}`; the codes and the inactive-scenario status are inferred (not documented).
/// Every run and webhook call is kept for the ledger.
actor MakeFake {
    struct Scenario {
        var id: Int
        var name: String
        var teamID: Int
        var isActive: Bool
        var hookToken: String?
    }

    let options: SandboxOptions
    let faults: FaultPlan
    let now: @Sendable () -> Date
    var meter = FixedWindows()
    var scenarios: [Scenario] = [
        Scenario(
            id: 101, name: "Cloud lead scoring", teamID: SandboxOptions.makeTeamID, isActive: true, hookToken: nil),
        Scenario(
            id: 102, name: "Cloud CRM hand-off", teamID: SandboxOptions.makeTeamID, isActive: true,
            hookToken: SandboxOptions.makeHookToken),
        Scenario(
            id: 103, name: "Paused experiment", teamID: SandboxOptions.makeTeamID, isActive: false, hookToken: nil),
    ]
    var runs: [[String: Any]] = []
    var hookCalls: [[String: Any]] = []
    var nextExecution = 1

    init(options: SandboxOptions, faults: FaultPlan, now: @escaping @Sendable () -> Date) {
        self.options = options
        self.faults = faults
        self.now = now
    }

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        if let fault = await faults.next(for: request.path) {
            if let delay = fault.delayMilliseconds { try? await Task.sleep(for: .milliseconds(delay)) }
            let headers = fault.retryAfter.map { [("Retry-After", String($0))] } ?? []
            return Self.error(fault.status, "Planned fault", code: "SC\(fault.status)", headers: headers)
        }
        if request.path.hasPrefix("/make/hooks/") { return hook(request) }
        guard request.path.hasPrefix("/make/api/v2/") else { return Self.error(404, "Not found", code: "IM001") }
        guard let auth = request.header("authorization"),
            auth == "Token \(SandboxOptions.makeAPIToken)" || auth == "Bearer \(SandboxOptions.makeAPIToken)"
        else { return Self.error(401, "Access denied", detail: "Invalid or missing API token.", code: "IM003") }
        let path = String(request.path.dropFirst("/make/api/v2/".count))
        let parts = path.split(separator: "/").map(String.init)
        switch (request.method, parts.count) {
        case ("GET", 1) where parts[0] == "scenarios": return list(request)
        case ("GET", 2) where parts == ["users", "me"]:
            return .json(
                200,
                [
                    "authUser": [
                        "id": 1, "name": "Sandbox User", "email": "sandbox@make.example", "language": "en",
                        "timezone": "Europe/Prague", "locale": "en-US",
                    ] as [String: Any]
                ])
        case ("POST", 3) where parts[0] == "scenarios" && parts[2] == "run": return run(parts[1], request)
        default: return Self.error(404, "Not found", detail: "No route for \(request.method) /\(path).", code: "IM001")
        }
    }

    private func list(_ request: SandboxRequest) -> SandboxResponse {
        let team = request.query.first { $0.name == "teamId" }.flatMap { Int($0.value) }
        let organization = request.query.first { $0.name == "organizationId" }.flatMap { Int($0.value) }
        guard team != nil || organization != nil else {
            return Self.error(400, "Validation failed", detail: "teamId or organizationId is required.", code: "IM007")
        }
        let limit = request.query.first { $0.name == "pg[limit]" }.flatMap { Int($0.value) } ?? 10000
        let offset = request.query.first { $0.name == "pg[offset]" }.flatMap { Int($0.value) } ?? 0
        let visible = scenarios.filter { team == nil || $0.teamID == team }
        let page = visible.dropFirst(offset).prefix(limit)
        return .json(
            200,
            [
                "scenarios": page.map {
                    [
                        "id": $0.id, "name": $0.name, "teamId": $0.teamID, "isActive": $0.isActive, "isPaused": false,
                        "hookId": $0.hookToken == nil ? null : $0.id * 10,
                    ] as [String: Any]
                },
                "pg": ["limit": limit, "offset": offset, "sortBy": "name", "sortDir": "asc"],
            ])
    }

    private func run(_ idText: String, _ request: SandboxRequest) -> SandboxResponse {
        guard let id = Int(idText), let scenario = scenarios.first(where: { $0.id == id }) else {
            return Self.error(404, "Scenario not found", detail: "Scenario \(idText) does not exist.", code: "IM004")
        }
        guard scenario.isActive else {
            return Self.error(400, "Scenario is not active", detail: "Activate the scenario to run it.", code: "IM016")
        }
        let body: [String: Any]
        do { body = try request.jsonObject() ?? [:] } catch {
            return Self.error(400, "Bad request", detail: "The body is not a JSON object.", code: "IM002")
        }
        let data = body["data"] ?? [String: Any]()
        let responsive = body["responsive"] as? Bool ?? false
        let execution = String(format: "%032x", nextExecution)
        nextExecution += 1
        runs.append(["scenario_id": id, "execution_id": execution, "data": data, "responsive": responsive])
        guard responsive else { return .json(200, ["executionId": execution]) }
        return .json(
            200, ["executionId": execution, "status": 1, "outputs": ["received": data, "scenario": scenario.name]])
    }

    private func hook(_ request: SandboxRequest) -> SandboxResponse {
        let token = String(request.path.dropFirst("/make/hooks/".count))
        guard scenarios.contains(where: { $0.hookToken == token && $0.isActive }) else {
            return .text(410, "There is no scenario listening for this webhook.")
        }
        let limit = max(1, Int(300 * options.rateLimitScale))
        let (admitted, state) = meter.admit(token, limits: [(10, limit)], now: now())
        guard admitted else {
            let wait = max(1, FixedWindows.secondsLeft(state[0], now: now()))
            return .text(429, "Too many requests", headers: [("Retry-After", String(wait))])
        }
        let body =
            (try? JSONSerialization.jsonObject(with: request.body)) ?? String(decoding: request.body, as: UTF8.self)
        hookCalls.append(["token": token, "body": body])
        return .text(200, "Accepted")
    }

    static func error(
        _ status: Int, _ message: String, detail: String? = nil, code: String,
        headers: [(name: String, value: String)] = []
    ) -> SandboxResponse {
        var body: [String: Any] = ["message": message, "code": code, "suberrors": [Any]()]
        if let detail { body["detail"] = detail }
        return .json(status, body, headers: headers)
    }

    func ledger() -> SandboxResponse {
        .json(200, ["runs": runs, "hook_calls": hookCalls])
    }
}
