import AsyncHTTPClient
import Foundation
import LeadgenCore
import NIOCore
import NIOHTTP1
import Providers

/// `http:ActionSendData` (HTTP v3, "legacy" but still imported) and `http:MakeRequest` (v4): one request per
/// bundle; the output is `statusCode`, `headers` and `data` (parsed when `parseResponse` and the answer is
/// JSON). See docs/reference/make.md §5.
struct HTTPRequestModule: NativeModule {
    enum Version { case v3, v4 }

    let version: Version
    let client: GuardedHTTPClient
    var auth: HTTPAuthVariant = .none
    var keychains: (any HTTPKeychains)?
    var hasEffects: Bool { true }

    /// GET, HEAD, PUT, DELETE and OPTIONS are idempotent in HTTP's own terms.
    func isRepeatable(_ input: ModuleInput) -> Bool {
        ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(
            IMLValues.text(input.mapper["method"] ?? .string("get")).uppercased())
    }

    func run(_ input: ModuleInput) async throws -> [JSON] {
        let m = input.mapper
        let urlText = IMLValues.text(m["url"] ?? .null)
        guard var components = URLComponents(string: urlText), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), components.host != nil
        else { throw ModuleError("DataError", "url: '\(urlText)' is not an http or https URL") }
        let method = IMLValues.text(m["method"] ?? .string("get")).uppercased()
        guard ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(method) else {
            throw ModuleError("DataError", "method: '\(method)' is not an HTTP method")
        }
        let queryKey = version == .v3 ? "qs" : "queryParameters"
        let query = Self.pairs(m[queryKey], name: "name")
        if !query.isEmpty {
            components.queryItems = (components.queryItems ?? []) + query.map { URLQueryItem(name: $0.0, value: $0.1) }
        }
        var request = HTTPClientRequest(url: components.url?.absoluteString ?? urlText)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in Self.pairs(m["headers"], name: "name") { request.headers.add(name: name, value: value) }
        if let user = m["authUser"].map(IMLValues.text), !user.isEmpty {
            let password = IMLValues.text(m["authPass"] ?? .null)
            request.headers.replaceOrAdd(
                name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        }
        try await authorize(&request, &components, input)
        if let (body, contentType) = try body(m) {
            if !request.headers.contains(name: "Content-Type") {
                request.headers.add(name: "Content-Type", value: contentType)
            }
            request.body = .bytes(ByteBuffer(string: body))
        }
        let seconds = IMLValues.number(m["timeout"] ?? .null).flatMap { WholeNumber.clamped($0, to: 1...300) } ?? 40
        let response: HTTPClientResponse
        let data: ByteBuffer
        do {
            let follows = followsRedirects(m, method: method)
            response = try await OutgoingRequestSpan.around(request, component: "scenario.http") {
                try await client.execute($0, timeout: .seconds(Int64(seconds)), followRedirects: follows)
            }
            data = try await response.body.collect(upTo: 50 * 1024 * 1024)
        } catch let failure as GuardedHTTPClient.Failure {
            throw ModuleError("DataError", "url: \(failure)")
        } catch {
            throw ModuleError(
                "ConnectionError", "\(method) \(components.host ?? ""): \(ConnectionFailure.describe(error))")
        }
        let status = Int(response.status.code)
        let text = String(buffer: data)
        let failOnError: Bool =
            version == .v3
            ? input.parameters["handleErrors"] == .bool(true)
            : IMLValues.truthy(m["stopOnHttpError"] ?? .bool(true))
        if failOnError, !(200..<400).contains(status) {
            // A 5xx leaves it open whether the server acted; a 4xx says it did not.
            throw ModuleError(status >= 500 ? "ConnectionError" : "RuntimeError", "[\(status)] \(text.prefix(500))")
        }
        var headers: [String: JSON] = [:]
        for header in response.headers { headers[header.name.lowercased()] = .string(header.value) }
        var output: JSON = .string(text)
        let isJSON = response.headers.first(name: "content-type")?.lowercased().contains("json") ?? false
        if IMLValues.truthy(m["parseResponse"] ?? .bool(false)) || (version == .v4 && isJSON) {
            if let parsed = try? JSON.parse(Data(data.readableBytesView)) { output = parsed }
        }
        return [.object(["statusCode": .int(status), "headers": .object(headers), "data": output])]
    }

    /// Whether to follow redirects (each checked by the outbound policy): v3's `followRedirect` for GET and
    /// HEAD and `followAllRedirects` for the other methods, v4's `allowRedirects`; on unless turned off, as
    /// in Make, but for v3's other methods.
    func followsRedirects(_ m: JSON, method: String) -> Bool {
        switch version {
        case .v4: return IMLValues.truthy(m["allowRedirects"] ?? .bool(true))
        case .v3:
            return ["GET", "HEAD"].contains(method)
                ? IMLValues.truthy(m["followRedirect"] ?? .bool(true))
                : IMLValues.truthy(m["followAllRedirects"] ?? .bool(false))
        }
    }

    /// Adds the credential of the module's keychain, when its variant names one.
    func authorize(_ request: inout HTTPClientRequest, _ components: inout URLComponents, _ input: ModuleInput)
        async throws
    {
        guard let id = auth.keychainID(input.parameters) else {
            if auth.needsKeychain {
                throw ModuleError("InvalidConfigurationError", "\(input.module.module): no keychain is chosen")
            }
            return
        }
        guard let keychains, let keychain = try await keychains.keychain(id, workspace: input.run.workspaceID) else {
            throw ModuleError(
                "InvalidConfigurationError",
                "keychain \(id) is not set up: connect it as keychain-\(id) in the workspace's connections")
        }
        switch keychain.kind {
        case .apiKey(let name, let inQuery):
            if inQuery {
                components.queryItems =
                    (components.queryItems ?? []) + [URLQueryItem(name: name, value: keychain.secret)]
                request.url = components.url?.absoluteString ?? request.url
            } else {
                request.headers.replaceOrAdd(name: name, value: keychain.secret)
            }
        case .basic(let username):
            request.headers.replaceOrAdd(
                name: "Authorization",
                value: "Basic " + Data("\(username):\(keychain.secret)".utf8).base64EncodedString())
        case .bearer:
            request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(keychain.secret)")
        }
    }

    /// The request body and its content type, if the mapper has one.
    func body(_ m: JSON) throws -> (String, String)? {
        switch version {
        case .v3:
            switch IMLValues.text(m["bodyType"] ?? .null) {
            case "raw":
                let type = IMLValues.text(m["contentType"] ?? .string("application/json"))
                return (IMLValues.text(m["data"] ?? .null), type.isEmpty ? "text/plain" : type)
            case "x_www_form_urlencoded":
                return (Self.form(Self.pairs(m["formFields"], name: "key")), "application/x-www-form-urlencoded")
            case "":
                return nil
            case let other:
                throw ModuleError("InvalidConfigurationError", "bodyType: '\(other)' is not supported natively")
            }
        case .v4:
            if let json = m["jsonStringBodyContent"] {
                return (IMLValues.text(json), "application/json")
            }
            if let fields = m["bodyParameters"] {
                return (Self.form(Self.pairs(fields, name: "name")), "application/x-www-form-urlencoded")
            }
            if let raw = m["body"] {
                return (IMLValues.text(raw), IMLValues.text(m["contentType"] ?? .string("text/plain")))
            }
            return nil
        }
    }

    /// `[{name|key, value}]` pairs; empty names are skipped.
    static func pairs(_ value: JSON?, name: String) -> [(String, String)] {
        (value?.arrayValue ?? []).compactMap { item in
            let key = IMLValues.text(item[name] ?? item["key"] ?? .null)
            return key.isEmpty ? nil : (key, IMLValues.text(item["value"] ?? .null))
        }
    }

    static func form(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)"
        }.joined(separator: "&")
    }
}
