import Automation
import Foundation
import LeadgenCore
import Providers

/// Modules of vendor apps, under Make's app and module names where docs/reference/make.md §5 knows them, using the
/// workspace's connections: `slack:CreateMessage` (through an incoming webhook), `apollo:makeApiCall`, and
/// `hubspotcrm:createUpdateContact2020` (also imported as `hubspotcrm:upsertAContact`), and Leadgen's own
/// `make:RunScenario` and `make:CallWebhook` for scenarios kept on Make.com. They act on the outside world,
/// so each execution goes through the run's effect ledger.
enum AppModules {
    static func workspace(_ input: ModuleInput) throws -> WorkspaceID {
        try LeadgenModules.workspace(input)
    }

    /// A provider that is not connected is a configuration error of the scenario.
    static func connect<Client>(_ make: () async throws -> Client) async throws -> Client {
        do { return try await make() } catch let error as ProviderNotConfigured {
            throw ModuleError("InvalidConfigurationError", error.description)
        }
    }

    /// `{text, blocks}` → `{ok, text}`. An incoming webhook posts to the channel it was created for; the
    /// mapper's `channel` is kept in the output only. The URL is the workspace's Slack connection (its secret)
    /// or `SLACK_WEBHOOK_URL`.
    struct SlackCreateMessage: NativeModule {
        let registry: ProviderRegistry
        var hasEffects: Bool { true }

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try AppModules.workspace(input)
            let client = try await AppModules.connect { try await registry.slack(for: workspace) }
            let text = IMLValues.text(input.mapper["text"] ?? .null)
            var blocks: Data?
            switch input.mapper["blocks"] {
            case .array(let items)?: blocks = try JSON.array(items).data()
            case .string(let raw)? where !raw.isEmpty:
                guard case .array? = try? JSON.parse(Data(raw.utf8)) else {
                    throw ModuleError("DataError", "blocks: not a JSON array of Slack blocks")
                }
                blocks = Data(raw.utf8)
            default: break
            }
            do {
                try await client.post(text: text, blocks: blocks)
            } catch {
                switch error {
                case .rateLimited: throw ModuleError("RateLimitError", error.description)
                case .unavailable: throw ModuleError("ConnectionError", error.description)
                case .rejected:
                    throw ModuleError(error.isPermanent ? "InvalidConfigurationError" : "DataError", error.description)
                }
            }
            var output: [String: JSON] = ["ok": .bool(true), "text": .string(text)]
            if let channel = input.mapper["channel"], !IMLValues.isEmpty(channel) { output["channel"] = channel }
            return [.object(output)]
        }
    }

    /// Make's "Make an API call": `{url, method, headers: [{key, value}], qs: [{key, value}], body}` with
    /// `url` below Apollo's API base (`/v1/mixed_people/api_search` or `/mixed_people/api_search`) →
    /// `{statusCode, headers, body}` with a JSON body parsed. (The mapper shape is that of Make's universal
    /// API-call modules; Apollo's own is not in a public export, so it is inferred.)
    struct ApolloAPICall: NativeModule {
        let registry: ProviderRegistry
        var hasEffects: Bool { true }

        /// Reads and searches cost nothing and change nothing; anything else may consume credits.
        func isRepeatable(_ input: ModuleInput) -> Bool {
            let method = IMLValues.text(input.mapper["method"] ?? .string("GET")).uppercased()
            return method == "GET" || IMLValues.text(input.mapper["url"] ?? .null).contains("search")
        }

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try AppModules.workspace(input)
            let client = try await AppModules.connect { try await registry.apollo(for: workspace) }
            let m = input.mapper
            var path = IMLValues.text(m["url"] ?? .null)
            guard path.hasPrefix("/") else {
                throw ModuleError(
                    "DataError", "url: '\(path)' must be a path below Apollo's API, such as /v1/people/match")
            }
            for prefix in ["/api/v1/", "/v1/"] where path.hasPrefix(prefix) {
                path = "/" + path.dropFirst(prefix.count)
            }
            let methodText = IMLValues.text(m["method"] ?? .string("GET")).uppercased()
            guard let method = ProviderRequest.Method(rawValue: methodText.isEmpty ? "GET" : methodText) else {
                throw ModuleError("DataError", "method: '\(methodText)' is not an HTTP method")
            }
            let query = Self.pairs(m["qs"])
            var body: Data?
            switch m["body"] {
            case .string(let text)? where !text.isEmpty:
                guard (try? JSON.parse(Data(text.utf8))) != nil else {
                    throw ModuleError("DataError", "body: not valid JSON")
                }
                body = Data(text.utf8)
            case .object(let object)?: body = try JSON.object(object).data()
            default: break
            }
            let response: ProviderResponse
            do {
                response = try await client.makeAPICall(method, path, query: query, body: body)
            } catch {
                throw AppModules.moduleError(error)
            }
            var headers: [String: JSON] = [:]
            for (name, value) in response.headers { headers[name.lowercased()] = .string(value) }
            let parsed = (try? JSON.parse(response.body)) ?? .string(String(decoding: response.body, as: UTF8.self))
            return [.object(["statusCode": .int(response.status), "headers": .object(headers), "body": parsed])]
        }

        static func pairs(_ value: JSON?) -> [(String, String)] {
            guard case .array(let items)? = value else { return [] }
            return items.compactMap { item in
                guard let key = (item["key"] ?? item["name"]).map(IMLValues.text), !key.isEmpty else { return nil }
                return (key, IMLValues.text(item["value"] ?? .null))
            }
        }
    }

    /// Creates or updates a HubSpot contact by e-mail: `{email, properties: {firstname: …}}` (or the
    /// properties at the top level) → the contact `{id, properties, new}`. The module names are from a
    /// third-party registry and not verified in a saved export (docs/reference/make.md §5).
    struct HubSpotUpsertContact: NativeModule {
        let registry: ProviderRegistry
        var hasEffects: Bool { true }
        /// An upsert by e-mail: made twice, it leaves one contact.
        func isRepeatable(_ input: ModuleInput) -> Bool { true }

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try AppModules.workspace(input)
            let client = try await AppModules.connect { try await registry.hubspot(for: workspace) }
            guard case .object(var fields) = input.mapper else { throw ModuleError("DataError", "no properties") }
            var properties: [String: String] = [:]
            if case .object(let nested)? = fields.removeValue(forKey: "properties") {
                for (key, value) in nested where !IMLValues.isEmpty(value) { properties[key] = IMLValues.text(value) }
            }
            for (key, value) in fields where !IMLValues.isEmpty(value) { properties[key] = IMLValues.text(value) }
            guard let raw = properties["email"], let email = try? EmailAddress(parsing: raw) else {
                throw ModuleError("DataError", "email: a valid e-mail address is needed to create or update a contact")
            }
            properties["email"] = email.value
            let result: HubSpotBatchResult
            do {
                result = try await client.upsert(
                    "contacts", idProperty: "email", [HubSpotInput(id: email.value, properties: properties)])
            } catch {
                throw AppModules.moduleError(error)
            }
            if let failure = result.errors.first {
                throw ModuleError("DataError", failure.message)
            }
            guard let contact = result.results.first else {
                throw ModuleError("ConnectionError", "HubSpot answered without the contact")
            }
            var props: [String: JSON] = [:]
            for (key, value) in contact.properties { props[key] = value.map(JSON.string) ?? .null }
            return [
                .object(["id": .string(contact.id), "properties": .object(props), "new": .bool(contact.new ?? false)])
            ]
        }
    }

    /// Starts a run of a scenario kept on Make.com: `{scenarioId, data: {…}, responsive}` →
    /// `{executionId, status, outputs}` (status 1 success, 2 warning, 3 error, when Make waited for it).
    struct MakeRunScenario: NativeModule {
        let registry: ProviderRegistry
        var hasEffects: Bool { true }

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try AppModules.workspace(input)
            let client = try await AppModules.connect { try await registry.make(for: workspace) }
            let idText = IMLValues.text(input.mapper["scenarioId"] ?? .null)
            guard let id = Int(idText) else {
                throw ModuleError("DataError", "scenarioId: '\(idText)' is not a Make scenario id")
            }
            let data: Data?
            switch input.mapper["data"] {
            case .object(let object)?: data = try JSON.object(object).data()
            case .string(let text)? where !text.isEmpty:
                guard case .object? = try? JSON.parse(Data(text.utf8)) else {
                    throw ModuleError("DataError", "data: not a JSON object")
                }
                data = Data(text.utf8)
            default: data = nil
            }
            let responsive = IMLValues.truthy(input.mapper["responsive"] ?? .bool(true))
            let result: MakeClient.RunResult
            do {
                result = try await client.runScenario(id, data: data, responsive: responsive)
            } catch {
                throw AppModules.moduleError(error)
            }
            var output: [String: JSON] = ["executionId": .string(result.executionID)]
            if let status = result.status { output["status"] = .int(status) }
            if let outputs = result.outputs { output["outputs"] = (try? JSON.parse(outputs)) ?? .null }
            return [.object(output)]
        }
    }

    /// Calls a Make custom webhook: `{url, data: {…}}` → `{status, body}` (a JSON body parsed).
    struct MakeCallWebhook: NativeModule {
        let registry: ProviderRegistry
        var hasEffects: Bool { true }

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let text = IMLValues.text(input.mapper["url"] ?? .null)
            guard let url = URL(string: text), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                throw ModuleError("DataError", "url: '\(text)' is not a webhook URL")
            }
            let body: Data =
                switch input.mapper["data"] {
                case .object(let object)?: try JSON.object(object).data()
                case .string(let raw)? where !raw.isEmpty: Data(raw.utf8)
                default: Data("{}".utf8)
                }
            let answer: MakeWebhookClient.Answer
            do {
                answer = try await registry.makeWebhooks.call(url, json: body)
            } catch {
                throw AppModules.moduleError(error)
            }
            let parsed =
                answer.contentType?.contains("json") == true
                ? (try? JSON.parse(answer.body)) : nil
            return [
                .object([
                    "status": .int(answer.status),
                    "body": parsed ?? .string(String(decoding: answer.body, as: UTF8.self)),
                ])
            ]
        }
    }

    static func moduleError(_ error: MakeError) -> ModuleError {
        switch error {
        case .rateLimited: ModuleError("RateLimitError", error.description)
        case .unavailable, .timedOut: ModuleError("ConnectionError", error.description)
        case .unauthorized, .hookGone: ModuleError("InvalidConfigurationError", error.description)
        case .notFound, .rejected: ModuleError("DataError", error.description)
        }
    }

    static func moduleError(_ error: ApolloError) -> ModuleError {
        switch error {
        case .rateLimited: ModuleError("RateLimitError", error.description)
        case .unavailable, .timedOut: ModuleError("ConnectionError", error.description)
        case .unauthorized, .forbidden: ModuleError("InvalidConfigurationError", error.description)
        case .invalidRequest: ModuleError("DataError", error.description)
        }
    }

    static func moduleError(_ error: HubSpotError) -> ModuleError {
        switch error {
        case .rateLimited: ModuleError("RateLimitError", error.description)
        case .unavailable: ModuleError("ConnectionError", error.description)
        case .unauthorized: ModuleError("InvalidConfigurationError", error.description)
        case .conflict, .rejected: ModuleError("DataError", error.description)
        }
    }
}
