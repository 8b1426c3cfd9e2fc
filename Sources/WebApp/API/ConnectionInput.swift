import App
import Foundation
import LeadgenCore
import Pipeline
import Providers

/// What a connection request body stores for each provider: the secret, a base URL, and settings. Each
/// provider takes its own fields, and a field of another provider is a mistake named as such.
struct ConnectionInput {
    var secret: String
    var baseURL: String?
    var settings: [String: String] = [:]

    /// The providers a workspace can connect: vendors, plus Make HTTP keychains as `keychain-<id>`.
    static let providers = ["apollo", "hubspot", "slack", "make", "sendgrid", "mailgun", "twilio"]

    static func isProvider(_ name: String) -> Bool {
        providers.contains(name) || keychainID(name) != nil
    }

    /// The keychain id in `keychain-<id>`.
    static func keychainID(_ provider: String) -> Int? {
        guard provider.hasPrefix("keychain-") else { return nil }
        return Int(provider.dropFirst("keychain-".count)).flatMap { $0 > 0 ? $0 : nil }
    }

    static let allowed: Set<String> = [
        "api_key", "access_token", "base_url", "field_mapping", "auto_sync", "webhook_url", "api_token", "zone",
        "key", "name", "placement", "username", "password", "token", "domain", "region", "account_sid", "auth_token",
        "from",
    ]

    /// Reads the body for `provider`; problems are recorded in `fields`.
    static func read(_ provider: String, _ fields: inout JSONFields) throws -> ConnectionInput {
        let own: Set<String> =
            switch provider {
            case "apollo": ["api_key", "base_url"]
            case "hubspot": ["access_token", "base_url", "field_mapping", "auto_sync"]
            case "slack": ["webhook_url"]
            case "make": ["api_token", "zone", "base_url"]
            case "sendgrid": ["api_key", "base_url", "region"]
            case "mailgun": ["api_key", "domain", "region", "base_url"]
            case "twilio": ["account_sid", "auth_token", "from", "base_url"]
            default: ["key", "name", "placement", "username", "password", "token"]
            }
        for field in fields.object.keys where !own.contains(field) {
            fields.fail(
                field, "not a field of \(provider) connections (they take \(own.sorted().joined(separator: ", ")))")
        }
        var input = ConnectionInput(secret: "")
        switch provider {
        case "apollo", "hubspot":
            input.secret = fields.string(provider == "apollo" ? "api_key" : "access_token", required: true) ?? ""
            input.baseURL = url(&fields, "base_url")
            if provider == "hubspot" { try hubspotSettings(&fields, &input) }
        case "slack":
            input.secret = url(&fields, "webhook_url", required: true) ?? ""
        case "make":
            input.secret = fields.string("api_token", required: true) ?? ""
            input.baseURL = url(&fields, "base_url")
            if let zone = fields.string("zone") {
                if MakeClient.zones.contains(zone.lowercased()), let base = MakeClient.baseURL(zone: zone.lowercased())
                {
                    input.baseURL = input.baseURL ?? base.absoluteString
                } else {
                    fields.fail("zone", "expected one of \(MakeClient.zones.joined(separator: ", "))")
                }
            }
        case "sendgrid", "mailgun":
            input.secret = fields.string("api_key", required: true) ?? ""
            input.baseURL = url(&fields, "base_url")
            if let region = fields.string("region") {
                switch region.lowercased() {
                case "us": break
                case "eu":
                    input.baseURL =
                        input.baseURL
                        ?? (provider == "sendgrid" ? SendGridClient.euBaseURL : MailgunClient.euBaseURL).absoluteString
                default: fields.fail("region", "expected us or eu")
                }
            }
            if provider == "mailgun" { input.settings["domain"] = fields.string("domain", required: true) ?? "" }
        case "twilio":
            input.secret = fields.string("auth_token", required: true) ?? ""
            input.settings["account_sid"] = fields.string("account_sid", required: true) ?? ""
            if let from = fields.string("from") { input.settings["from"] = from }
            input.baseURL = url(&fields, "base_url")
        default:
            keychain(&fields, &input)
        }
        return input
    }

    /// A Make HTTP keychain: `{key, name, placement}` (an API key in a header or the query), `{username,
    /// password}` (basic auth) or `{token}` (a bearer token).
    static func keychain(_ fields: inout JSONFields, _ input: inout ConnectionInput) {
        let key = fields.string("key")
        let password = fields.string("password")
        let token = fields.string("token")
        switch (key, password, token) {
        case (let key?, nil, nil):
            input.secret = key
            input.settings["kind"] = "api_key"
            input.settings["name"] = fields.string("name", required: true) ?? ""
            let placement = fields.string("placement") ?? "header"
            if !["header", "query"].contains(placement) { fields.fail("placement", "expected header or query") }
            input.settings["placement"] = placement
        case (nil, let password?, nil):
            input.secret = password
            input.settings["kind"] = "basic"
            input.settings["username"] = fields.string("username", required: true) ?? ""
        case (nil, nil, let token?):
            input.secret = token
            input.settings["kind"] = "bearer"
        default:
            fields.fail("key", "a keychain holds one of: key (with name and placement), username and password, token")
        }
    }

    static func hubspotSettings(_ fields: inout JSONFields, _ input: inout ConnectionInput) throws {
        if let mapping = fields.object("field_mapping") {
            let text = String(decoding: try JSONEncoder().encode(JSON.object(mapping)), as: UTF8.self)
            do {
                _ = try HubSpotFieldMapping.parse(text)
                input.settings["field_mapping"] = text
            } catch {
                fields.fail("field_mapping", "\(error)")
            }
        }
        if let autoSync = fields.bool("auto_sync") { input.settings["auto_sync"] = autoSync ? "true" : "false" }
    }

    static func url(_ fields: inout JSONFields, _ name: String, required: Bool = false) -> String? {
        guard let text = fields.string(name, required: required) else { return nil }
        if (try? httpURL(text, setting: name)) == nil {
            fields.fail(name, "expected an http or https URL")
            return nil
        }
        return text
    }
}
