import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A fake of Apollo.io's REST API, faithful to docs/reference/apollo.md: the same paths, bodies, error
/// shapes, quota headers (both spellings of the daily ones) and 429s when a window is used up. It charges
/// credits as Apollo does and keeps a ledger, so tests can prove nothing was paid for twice.
actor ApolloFake {
    let options: SandboxOptions
    let directory: ApolloDirectory
    let faults: FaultPlan
    var meter = FixedWindows()
    /// Credits charged per Apollo person id, and in total.
    private(set) var charges: [String: Double] = [:]
    private(set) var creditsConsumed = 0.0
    private(set) var calls: [String: Int] = [:]
    var random: SeededRandom
    let now: @Sendable () -> Date

    init(options: SandboxOptions, faults: FaultPlan, now: @escaping @Sendable () -> Date) {
        self.options = options
        self.faults = faults
        self.now = now
        directory = ApolloDirectory(people: options.people, seed: options.seed)
        random = SeededRandom(seed: options.seed &+ 1)
    }

    /// Per endpoint: calls per minute, hour and day. Apollo publishes no single table; these follow its usage stats
    /// example (people/match 200/600/6000, bulk at a tenth per minute and hour; docs/reference/apollo.md §6)
    /// [inferred].
    static let limits: [String: (minute: Int, hour: Int, day: Int)] = [
        "mixed_people/api_search": (200, 600, 6000),
        "people/match": (200, 600, 6000),
        "people/bulk_match": (20, 100, 6000),
        "organizations/enrich": (200, 600, 6000),
        "organizations/bulk_enrich": (20, 100, 6000),
    ]

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        guard request.path.hasPrefix("/api/v1/") || request.path.hasPrefix("/v1/") else {
            return .json(404, ["error": "Not found"])
        }
        let endpoint = String(request.path.drop { $0 != "/" }.dropFirst().drop { $0 != "/" }.dropFirst())
            .replacingOccurrences(of: "v1/", with: "", options: .anchored)
        if let failure = authenticate(request, endpoint: endpoint) { return failure }
        if request.method == "GET", endpoint == "auth/health" { return .json(200, ["is_logged_in": true]) }
        let body: [String: Any]
        do { body = try request.jsonObject() ?? [:] } catch {
            return .json(422, ["error": "Invalid parameters"])
        }
        if body["api_key"] != nil {
            // Inferred: the status is reported as 422, the body is not documented (docs/reference/apollo.md §1).
            return .json(
                422,
                [
                    "error": "API key must be passed in the X-Api-Key header", "error_code": "INVALID_API_KEY_LOCATION",
                ])
        }
        if endpoint == "mixed_people/search" {
            return .json(
                422,
                [
                    "error":
                        "This endpoint is deprecated for API callers. Please use the new mixed_people/api_search endpoint."
                ])
        }
        guard let limits = Self.limits[endpoint] else { return .json(404, ["error": "Not found"]) }
        let scale = options.rateLimitScale
        let windows = [
            (60, Int(Double(limits.minute) * scale)), (3600, Int(Double(limits.hour) * scale)),
            (86400, Int(Double(limits.day) * scale)),
        ]
        let time = now()
        let (admitted, state) = meter.admit(endpoint, limits: windows, now: time)
        guard admitted else {
            let window = state[0]
            let period = window.seconds == 60 ? "minute" : window.seconds == 3600 ? "hour" : "day"
            return .json(
                429,
                [
                    "message":
                        "The maximum number of api calls allowed for api/v1/\(endpoint) is \(window.limit) times per \(period). Please upgrade your plan from https://app.apollo.io/#/settings/plans/upgrade."
                ])
        }
        calls[endpoint, default: 0] += 1
        let headers = Self.quotaHeaders(state)
        if let fault = await faults.next(for: request.path) {
            if let delay = fault.delayMilliseconds { try? await Task.sleep(for: .milliseconds(delay)) }
            var extra = headers
            if let retryAfter = fault.retryAfter { extra.append(("Retry-After", String(retryAfter))) }
            var answer = Self.errorResponse(fault.status, endpoint: endpoint)
            answer.headers += extra
            return answer
        }
        var response: SandboxResponse
        switch (request.method, endpoint) {
        case ("POST", "mixed_people/api_search"): response = search(request, body)
        case ("POST", "people/match"): response = match(body)
        case ("POST", "people/bulk_match"): response = bulkMatch(request, body)
        case ("GET", "organizations/enrich"), ("POST", "organizations/enrich"):
            response = enrichOrganization(request, body)
        case ("POST", "organizations/bulk_enrich"): response = bulkEnrichOrganizations(request, body)
        default: response = .json(404, ["error": "Not found"])
        }
        response.headers += headers
        return response
    }

    // MARK: Auth and quota

    func authenticate(_ request: SandboxRequest, endpoint: String) -> SandboxResponse? {
        if let key = request.header("x-api-key") {
            if options.apolloAPIKeys.contains(key) { return nil }
            if let scope = options.apolloScopedKeys[key] {
                return scope.contains(endpoint) ? nil : Self.errorResponse(403, endpoint: endpoint)
            }
        }
        return Self.errorResponse(401, endpoint: endpoint)
    }

    /// Apollo's body for each error status (docs/reference/apollo.md §6): they share no envelope.
    static func errorResponse(_ status: Int, endpoint: String) -> SandboxResponse {
        switch status {
        case 401:
            .text(401, "Invalid API key. See https://docs.apollo.io/reference/authentication for how to authenticate.")
        case 403:
            .json(
                403,
                [
                    "error":
                        "This API key is not authorized to access api/v1/\(endpoint). Request an API key from your administrator that includes this endpoint in its configured scope.",
                    "error_code": "API_INACCESSIBLE",
                ])
        case 422: .json(422, ["error": "Invalid parameters"])
        case 429:
            .json(
                429,
                [
                    "message":
                        "The maximum number of api calls allowed for api/v1/\(endpoint) is 600 times per hour. Please upgrade your plan from https://app.apollo.io/#/settings/plans/upgrade."
                ])
        default: .json(status, ["error": "Internal server error"])
        }
    }

    /// Apollo's documented quota headers, and the 24-hour spelling live clients read (docs/reference/apollo.md §6).
    static func quotaHeaders(_ state: [FixedWindows.Window]) -> [(name: String, value: String)] {
        guard state.count == 3 else { return [] }
        let (minute, hour, day) = (state[0], state[1], state[2])
        return [
            ("x-rate-limit-minute", "\(minute.limit)"), ("x-minute-usage", "\(minute.used)"),
            ("x-minute-requests-left", "\(max(0, minute.limit - minute.used))"),
            ("x-rate-limit-hourly", "\(hour.limit)"), ("x-hourly-usage", "\(hour.used)"),
            ("x-hourly-requests-left", "\(max(0, hour.limit - hour.used))"),
            ("x-rate-limit-daily", "\(day.limit)"), ("x-daily-usage", "\(day.used)"),
            ("x-daily-requests-left", "\(max(0, day.limit - day.used))"),
            ("x-rate-limit-24-hour", "\(day.limit)"), ("x-24-hour-usage", "\(day.used)"),
            ("x-24-hour-requests-left", "\(max(0, day.limit - day.used))"),
        ]
    }

    // MARK: Search

    func search(_ request: SandboxRequest, _ body: [String: Any]) -> SandboxResponse {
        func list(_ name: String) -> [String] {
            let values = (body[name] as? [Any])?.compactMap { $0 as? String } ?? request.queryValues(name)
            return values.map { $0.lowercased() }
        }
        func number(_ name: String, _ fallback: Int) -> Int? {
            if let value = body[name] { return (value as? Int) ?? (value as? String).flatMap(Int.init) }
            return request.queryValues(name).first.map { Int($0) } ?? fallback
        }
        guard let page = number("page", 1), let perPage = number("per_page", 25), page >= 1, perPage >= 1 else {
            return .json(422, ["error": "Invalid parameters"])
        }
        guard perPage <= 100 else {
            return .json(
                422,
                [
                    "error": "Per page not supported",
                    "error_details": [
                        "code": "SEARCH_VALIDATION_SEARCH_PARAMS_INVALID", "message": "Per page not supported",
                    ],
                ])
        }
        let titles = list("person_titles")
        let locations = list("person_locations")
        let seniorities = list("person_seniorities")
        let domains = list("q_organization_domains_list")
        let statuses = list("contact_email_status").map { $0.replacingOccurrences(of: "_", with: " ") }
        let keywords = ((body["q_keywords"] as? String) ?? request.queryValues("q_keywords").first)?.lowercased()
        var ranges: [(Int, Int)] = []
        for text in list("organization_num_employees_ranges") {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let low = Int(parts[0]) else { return .json(422, ["error": "Invalid parameters"]) }
            ranges.append((low, Int(parts[1]) ?? .max))
        }
        let matches = directory.people.indices.filter { index in
            let person = directory.people[index]
            let org = directory.organizations[person.organization]
            if !titles.isEmpty, !titles.contains(where: { person.title.lowercased().contains($0) }) { return false }
            if !locations.isEmpty {
                let place = [person.city, person.state, person.country, "\(person.city), \(person.state)"].map {
                    $0.lowercased()
                }
                if !locations.contains(where: place.contains) { return false }
            }
            if !seniorities.isEmpty, !seniorities.contains(person.seniority) { return false }
            if !domains.isEmpty, !domains.contains(org.domain) { return false }
            if !ranges.isEmpty, !ranges.contains(where: { org.employees >= $0.0 && org.employees <= $0.1 }) {
                return false
            }
            if !statuses.isEmpty, !statuses.contains(person.emailStatus) { return false }
            if let keywords, !"\(person.title) \(org.name) \(org.industry)".lowercased().contains(keywords) {
                return false
            }
            return true
        }
        let start = (page - 1) * perPage
        // Past the display cap Apollo's behaviour is unknown (docs/reference/apollo.md §2a); the fake answers an empty
        // page.
        let visible = min(matches.count, options.searchRecordCap)
        let slice = start < visible ? Array(matches[start..<min(visible, start + perPage)]) : []
        let people: [[String: Any]] = slice.map { index in
            let person = directory.people[index]
            let org = directory.organizations[person.organization]
            return [
                "id": person.id, "first_name": person.firstName,
                "last_name_obfuscated": String(person.lastName.prefix(2)) + "***" + String(person.lastName.suffix(1)),
                "title": person.title, "last_refreshed_at": "2025-11-04T23:20:32.690+00:00",
                "has_email": person.email != nil, "has_city": true, "has_state": true, "has_country": true,
                "has_direct_phone": person.mobile != nil
                    ? "Yes" : "Maybe: please request direct dial via people/bulk_match",
                "organization": [
                    "name": org.name, "has_industry": true, "has_phone": true, "has_city": true, "has_state": true,
                    "has_country": true, "has_zip_code": false, "has_revenue": false, "has_employee_count": true,
                ],
            ]
        }
        return .json(200, ["total_entries": matches.count, "people": people])
    }

    /// Records a charge: the ledger tests read to prove nobody is paid for twice.
    func charge(_ id: String, _ credits: Double) {
        charges[id, default: 0] += credits
        creditsConsumed += credits
    }

    // MARK: Shapes

    func personJSON(_ index: Int) -> [String: Any] {
        let person = directory.people[index]
        let org = directory.organizations[person.organization]
        let email: Any = person.email.map { person.emailLocked ? "email_not_unlocked@domain.com" : $0 } ?? null
        return [
            "id": person.id, "first_name": person.firstName, "last_name": person.lastName,
            "name": "\(person.firstName) \(person.lastName)", "linkedin_url": person.linkedinURL, "title": person.title,
            "email_status": person.email == nil || person.emailLocked ? "unavailable" : person.emailStatus,
            "photo_url": null, "twitter_url": null, "github_url": null, "facebook_url": null,
            "extrapolated_email_confidence": null, "headline": "\(person.title) at \(org.name)", "email": email,
            "organization_id": org.id,
            "employment_history": [
                [
                    "_id": person.id + "e", "current": true, "organization_id": org.id, "organization_name": org.name,
                    "start_date": "2021-01-01", "end_date": null, "title": person.title,
                ]
            ],
            "state": person.state, "city": person.city, "country": person.country, "contact_id": null,
            "revealed_for_current_team": true, "organization": organizationJSON(org), "is_likely_to_engage": true,
            "show_intent": false, "departments": [person.department], "subdepartments": [String](),
            "functions": [String](), "seniority": person.seniority,
        ]
    }

    func organizationJSON(_ org: ApolloDirectory.Organization) -> [String: Any] {
        [
            "id": org.id, "name": org.name, "website_url": "http://www.\(org.domain)", "blog_url": null,
            "linkedin_url": "http://www.linkedin.com/company/\(org.domain.replacingOccurrences(of: ".com", with: ""))",
            "primary_domain": org.domain, "industry": org.industry, "estimated_num_employees": org.employees,
            "phone": org.phone, "city": org.city, "state": org.state, "country": org.country,
            "founded_year": 2015, "keywords": [String](), "industries": [org.industry],
        ]
    }

    // MARK: Phone webhook

    /// Posts revealed mobiles to the webhook later, in the native body three client code bases agree on
    /// (docs/reference/apollo.md §3c, inferred), and again once: Apollo may retry, and the receiver must be idempotent.
    nonisolated func deliverPhones(_ people: [(id: String, mobile: String)], to url: URL, requestID: Int64) {
        let body: [String: Any] = [
            "status": "success", "total_requested_enrichments": people.count,
            "unique_enriched_records": people.count, "missing_records": 0, "credits_consumed": people.count * 8,
            "people": people.map { person in
                [
                    "id": person.id, "status": "success",
                    "phone_numbers": [
                        [
                            "raw_number": person.mobile, "sanitized_number": person.mobile, "type_cd": "mobile",
                            "status_cd": "valid_number", "dnc_status_cd": "not_found", "confidence_cd": "high",
                            "position": 0,
                        ]
                    ],
                ] as [String: Any]
            },
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: body) else { return }
        let delay = options.phoneWebhookDelay
        Task.detached {
            try? await Task.sleep(for: delay)
            for _ in 0..<2 {
                var request = HTTPClientRequest(url: url.absoluteString)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: data))
                _ = try? await HTTPClient.shared.execute(request, timeout: .seconds(10))
            }
        }
    }

    // MARK: Inspection

    func ledger() -> SandboxResponse {
        .json(200, ["credits_consumed": creditsConsumed, "charges": charges, "calls": calls])
    }
}
