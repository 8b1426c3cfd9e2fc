import Foundation

/// A request as the fakes see it, independent of the HTTP server that carries it.
public struct SandboxRequest: Sendable {
    public var method: String
    /// The path below the sandbox's mount point: "/api/v1/people/match".
    public var path: String
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// The URL the client called, as HubSpot signs it (scheme, host, path and query).
    public var url: String

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: Data = Data(), url: String = ""
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.url = url
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of a query parameter, with or without the `[]` suffix arrays use.
    func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name || $0.name == name + "[]" }.map(\.value)
    }

    /// The body as a JSON object; nil when it is empty. Throws when it is not a JSON object.
    func jsonObject() throws -> [String: Any]? {
        guard !body.isEmpty else { return nil }
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw SandboxBodyError()
        }
        return object
    }
}

struct SandboxBodyError: Error {}

/// An answer from a fake.
public struct SandboxResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ status: Int, _ object: Any, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return SandboxResponse(
            status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: data)
    }

    static func text(_ status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        SandboxResponse(
            status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers, body: Data(text.utf8))
    }
}

/// JSON's null inside `[String: Any]` dictionaries.
let null = NSNull()
