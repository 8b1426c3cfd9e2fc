import Foundation

/// A fake of HubSpot's CRM v3 objects, v4 associations and properties APIs, faithful to
/// docs/reference/hubspot.md: Bearer private-app tokens, string property values, unknown properties refused, e-mail
/// as the contacts' unique key, `domain` refused as an upsert key, batches of at most 100, 207 partial results, 409
/// with the existing id inside the message, and the ten-second and daily limits with their headers and 429 bodies
/// naming the policy.
actor HubSpotFake {
    let options: SandboxOptions
    let faults: FaultPlan
    let now: @Sendable () -> Date
    let portalID = 62515
    var contacts = HubSpotObjects(
        typeID: "0-1",
        defaultProperties: [
            "email", "firstname", "lastname", "company", "jobtitle", "phone", "mobilephone", "city", "state",
            "country", "zip", "website", "lifecyclestage", "hs_lead_status", "industry", "hs_object_id",
            "createdate", "lastmodifieddate", "hubspot_owner_id",
        ], unique: ["email"])
    var companies = HubSpotObjects(
        typeID: "0-2",
        defaultProperties: [
            "name", "domain", "industry", "numberofemployees", "annualrevenue", "phone", "city", "state", "country",
            "linkedin_company_page", "website", "hs_object_id", "createdate", "hs_lastmodifieddate",
        ], unique: [])
    /// contact id → company ids, with the association type ids.
    var associations: [String: [String: Set<Int>]] = [:]
    var nextID = 1001
    var meter = FixedWindows()
    var calls: [String: Int] = [:]
    /// Contacts created, by e-mail: more than one for an address would be a duplicate.
    var creations: [String: Int] = [:]

    init(options: SandboxOptions, faults: FaultPlan, now: @escaping @Sendable () -> Date) {
        self.options = options
        self.faults = faults
        self.now = now
    }

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        guard let token = request.header("authorization"), token.hasPrefix("Bearer "),
            options.hubspotTokens.contains(String(token.dropFirst(7)))
        else {
            return .json(
                401,
                error(
                    "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
                ), headers: [("X-HubSpot-Auth-Failure", "401 Unauthorized")])
        }
        let time = now()
        let tenSecond = Int(100 * options.rateLimitScale)
        let daily = Int(250_000 * options.rateLimitScale)
        let (admitted, state) = meter.admit("account", limits: [(10, tenSecond), (86400, daily)], now: time)
        guard admitted else {
            let isDaily = state[0].seconds == 86400
            let policy = isDaily ? "DAILY" : "TEN_SECONDLY_ROLLING"
            return .json(
                429,
                [
                    "status": "error",
                    "message": "You have reached your \(isDaily ? "daily" : "ten_secondly_rolling") limit.",
                    "errorType": "RATE_LIMIT", "correlationId": UUID().uuidString.lowercased(), "policyName": policy,
                    "groupName": "publicapi:private-app:\(portalID)",
                ], headers: [("Retry-After", String(FixedWindows.secondsLeft(state[0], now: time)))])
        }
        let headers: [(name: String, value: String)] = [
            ("X-HubSpot-RateLimit-Daily", String(daily)),
            ("X-HubSpot-RateLimit-Daily-Remaining", String(max(0, daily - state[1].used))),
            ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"), ("X-HubSpot-RateLimit-Max", String(tenSecond)),
            ("X-HubSpot-RateLimit-Remaining", String(max(0, tenSecond - state[0].used))),
            ("X-HubSpot-Correlation-Id", UUID().uuidString.lowercased()),
        ]
        calls["\(request.method) \(Self.route(request.path))", default: 0] += 1
        if let fault = await faults.next(for: request.path) {
            if let delay = fault.delayMilliseconds { try? await Task.sleep(for: .milliseconds(delay)) }
            var extra = headers
            if let retryAfter = fault.retryAfter { extra.append(("Retry-After", String(retryAfter))) }
            if fault.status == 429 {
                return .json(
                    429,
                    [
                        "status": "error", "message": "You have reached your ten_secondly_rolling limit.",
                        "errorType": "RATE_LIMIT", "correlationId": UUID().uuidString.lowercased(),
                        "policyName": "TEN_SECONDLY_ROLLING", "groupName": "publicapi:private-app:\(portalID)",
                    ], headers: extra)
            }
            switch fault.status {
            case 401:
                return .json(
                    401, error("INVALID_AUTHENTICATION", "Authentication credentials not found."),
                    headers: extra + [("X-HubSpot-Auth-Failure", "401 Unauthorized")])
            case 403:
                return .json(
                    403,
                    error(
                        "MISSING_SCOPES",
                        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes."
                    ), headers: extra)
            default:
                return .json(fault.status, error("INTERNAL_ERROR", "Internal error"), headers: extra)
            }
        }
        let body: Any?
        do {
            body = request.body.isEmpty ? nil : try JSONSerialization.jsonObject(with: request.body)
        } catch {
            return .json(400, self.error("VALIDATION_ERROR", "Invalid input JSON on line 1"), headers: headers)
        }
        var response = route(request, body)
        response.headers += headers
        return response
    }

    /// The path with ids replaced, for counting calls per operation.
    static func route(_ path: String) -> String {
        path.split(separator: "/").map { $0.allSatisfy(\.isNumber) ? "{id}" : String($0) }.joined(separator: "/")
    }

    func route(_ request: SandboxRequest, _ body: Any?) -> SandboxResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        /// The `*` segments of `pattern` when `parts` has its shape, for `method`.
        func match(_ method: String, _ pattern: String) -> [String]? {
            let shape = pattern.split(separator: "/").map(String.init)
            guard request.method == method, shape.count == parts.count else { return nil }
            var captured: [String] = []
            for (want, have) in zip(shape, parts) {
                if want == "*" { captured.append(have) } else if want != have { return nil }
            }
            return captured
        }
        let idProperty = request.queryValues("idProperty").first
        if let c = match("POST", "crm/v3/objects/*/batch/*") { return batch(c[0], c[1], body) }
        if let c = match("POST", "crm/v3/objects/*/search") { return search(c[0], body) }
        if let c = match("POST", "crm/v3/objects/*") { return create(c[0], body) }
        if let c = match("GET", "crm/v3/objects/*/*") { return read(c[0], c[1], idProperty: idProperty) }
        if let c = match("PATCH", "crm/v3/objects/*/*") { return update(c[0], c[1], body, idProperty: idProperty) }
        if let c = match("GET", "crm/v3/properties/*") { return listProperties(c[0]) }
        if let c = match("POST", "crm/v3/properties/*") { return createProperty(c[0], body) }
        if let c = match("PUT", "crm/v4/objects/contact/*/associations/default/company/*") {
            return associateDefault(c[0], c[1])
        }
        if match("POST", "crm/v4/associations/contacts/companies/batch/create") != nil { return associateBatch(body) }
        if match("GET", "account-info/v3/details") != nil { return accountDetails() }
        return .json(404, error("OBJECT_NOT_FOUND", "Resource not found"))
    }

    /// The account the token belongs to, shaped as HubSpot's account information API answers it.
    func accountDetails() -> SandboxResponse {
        .json(
            200,
            [
                "portalId": portalID, "accountType": "STANDARD", "timeZone": "US/Eastern", "companyCurrency": "USD",
                "additionalCurrencies": [String](), "utcOffset": "-05:00", "utcOffsetMilliseconds": -18_000_000,
                "uiDomain": "app.hubspot.com", "dataHostingLocation": "na1",
            ] as [String: Any])
    }

    // MARK: Objects

    func objects(_ type: String) -> WritableKeyPath<HubSpotFake.Store, HubSpotObjects>? {
        switch type {
        case "contacts", "0-1": \.contacts
        case "companies", "0-2": \.companies
        default: nil
        }
    }

    struct Store {
        var contacts: HubSpotObjects
        var companies: HubSpotObjects
    }

    func withStore<R>(_ body: (inout Store) -> R) -> R {
        var store = Store(contacts: contacts, companies: companies)
        let result = body(&store)
        contacts = store.contacts
        companies = store.companies
        return result
    }

    func create(_ type: String, _ body: Any?) -> SandboxResponse {
        guard let path = objects(type) else { return .json(404, error("OBJECT_NOT_FOUND", "Resource not found")) }
        guard let input = body as? [String: Any], let properties = Self.properties(input["properties"]) else {
            return .json(400, error("VALIDATION_ERROR", "Invalid input JSON: properties is required"))
        }
        return withStore { store in
            switch write(&store[keyPath: path], id: nil, properties: properties, type: type) {
            case .failure(let failure): return failure.response
            case .success(let (record, _)): return .json(201, json(record))
            }
        }
    }

    func read(_ type: String, _ id: String, idProperty: String?) -> SandboxResponse {
        guard let path = objects(type) else { return .json(404, error("OBJECT_NOT_FOUND", "Resource not found")) }
        return withStore { store in
            guard let record = store[keyPath: path].find(idProperty ?? "hs_object_id", id) else {
                return .json(404, error("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."))
            }
            return .json(200, json(record))
        }
    }

    func update(_ type: String, _ id: String, _ body: Any?, idProperty: String?) -> SandboxResponse {
        guard let path = objects(type) else { return .json(404, error("OBJECT_NOT_FOUND", "Resource not found")) }
        guard let input = body as? [String: Any], let properties = Self.properties(input["properties"]) else {
            return .json(400, error("VALIDATION_ERROR", "Invalid input JSON: properties is required"))
        }
        return withStore { store in
            guard let record = store[keyPath: path].find(idProperty ?? "hs_object_id", id) else {
                return .json(404, error("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."))
            }
            switch write(&store[keyPath: path], id: record.id, properties: properties, type: type) {
            case .failure(let failure): return failure.response
            case .success(let (record, _)): return .json(200, json(record))
            }
        }
    }

    /// Sendable although `body` is `[String: Any]`: it holds JSON values only, built once and never changed.
    struct Failure: Error, @unchecked Sendable {
        var status: Int
        var body: [String: Any]
        var response: SandboxResponse { .json(status, body) }
    }

    /// Creates (`id` nil) or updates a record, checking property names and unique values.
    func write(_ objects: inout HubSpotObjects, id: String?, properties: [String: String], type: String)
        -> Result<(HubSpotObjects.Record, isNew: Bool), Failure>
    {
        let unknown = objects.unknownProperties(properties)
        if !unknown.isEmpty {
            let details = unknown.map {
                "{\"isValid\":false,\"message\":\"Property \\\"\($0)\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"\($0)\"}"
            }
            return .failure(
                Failure(
                    status: 400,
                    body: error(
                        "VALIDATION_ERROR", "Property values were not valid: [\(details.joined(separator: ","))]")))
        }
        if objects.typeID == "0-1", let email = properties["email"], !Self.looksLikeEmail(email) {
            return .failure(
                Failure(
                    status: 400,
                    body: error(
                        "VALIDATION_ERROR",
                        "Property values were not valid: [{\"isValid\":false,\"message\":\"Email address \(email) is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]"
                    )))
        }
        if let existing = objects.conflict(properties, excluding: id) {
            let message =
                objects.typeID == "0-1"
                ? "Contact already exists. Existing ID: \(existing.id)"
                : "A record already exists with that unique value. Existing ID: \(existing.id)"
            return .failure(Failure(status: 409, body: error("CONFLICT", message)))
        }
        let time = now()
        var record: HubSpotObjects.Record
        var isNew = false
        if let id, let current = objects.records[id] {
            record = current
            for (name, value) in properties { record.properties[name] = value.isEmpty ? nil : value }
            record.updatedAt = time
        } else {
            isNew = true
            let newID = String(nextID)
            nextID += 1
            record = HubSpotObjects.Record(
                id: newID, properties: properties.filter { !$0.value.isEmpty }, createdAt: time, updatedAt: time)
            if objects.typeID == "0-1", let email = properties["email"] {
                creations[email.lowercased(), default: 0] += 1
            }
        }
        objects.store(record)
        return .success((record, isNew))
    }

    func search(_ type: String, _ body: Any?) -> SandboxResponse {
        guard let path = objects(type) else { return .json(404, error("OBJECT_NOT_FOUND", "Resource not found")) }
        let groups = ((body as? [String: Any])?["filterGroups"] as? [[String: Any]]) ?? []
        let limit = min(200, ((body as? [String: Any])?["limit"] as? Int) ?? 10)
        return withStore { store in
            let matching = store[keyPath: path].records.values.sorted { Int($0.id)! < Int($1.id)! }.filter { record in
                groups.isEmpty
                    || groups.contains { group in
                        ((group["filters"] as? [[String: Any]]) ?? []).allSatisfy { filter in
                            guard let name = filter["propertyName"] as? String,
                                (filter["operator"] as? String) == "EQ", let value = filter["value"] as? String
                            else { return false }
                            return record.properties[name]?.lowercased() == value.lowercased()
                        }
                    }
            }
            return .json(200, ["total": matching.count, "results": matching.prefix(limit).map(json)])
        }
    }

    // MARK: Shapes

    func error(_ category: String, _ message: String) -> [String: Any] {
        ["status": "error", "message": message, "correlationId": UUID().uuidString.lowercased(), "category": category]
    }

    func batchError(_ failure: Failure, ids: [String]) -> [String: Any] {
        [
            "status": "error", "category": failure.body["category"] ?? "VALIDATION_ERROR",
            "message": failure.body["message"] ?? "", "context": ["ids": ids], "errors": [Any](),
            "links": [String: Any](),
        ]
    }

    func json(_ record: HubSpotObjects.Record) -> [String: Any] {
        var properties = record.properties
        properties["hs_object_id"] = record.id
        properties["createdate"] = iso(record.createdAt)
        properties["lastmodifieddate"] = iso(record.updatedAt)
        return [
            "id": record.id, "properties": properties, "createdAt": iso(record.createdAt),
            "updatedAt": iso(record.updatedAt), "archived": false,
        ]
    }

    func iso(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// All property values are strings on the wire; numbers are read as their text and null clears a value.
    static func properties(_ raw: Any?) -> [String: String]? {
        guard let object = raw as? [String: Any] else { return nil }
        var values: [String: String] = [:]
        for (name, value) in object {
            switch value {
            case let text as String: values[name] = text
            case is NSNull: values[name] = ""
            case let number as NSNumber: values[name] = number.stringValue
            default: return nil
            }
        }
        return values
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }

    // MARK: Inspection

    func ledger() -> SandboxResponse {
        .json(
            200,
            [
                "contacts": contacts.records.values.sorted { Int($0.id)! < Int($1.id)! }.map(json),
                "companies": companies.records.values.sorted { Int($0.id)! < Int($1.id)! }.map(json),
                "associations": associations.mapValues { $0.mapValues { Array($0).sorted() } },
                "contact_creations": creations, "calls": calls,
            ])
    }
}
