import Foundation
import HTTPTypes
import Hummingbird
import NIOFoundationEssentialsCompat

extension Sandbox {
    /// Serves the sandbox from `router` below `prefix` ("" at the root, "/sandbox" inside Leadgen's server).
    public func addRoutes<Context: RequestContext>(to router: Router<Context>, prefix: String = "") {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        for method in methods {
            router.on(RouterPath(prefix.isEmpty ? "**" : "\(prefix)/**"), method: method) { request, _ in
                try await self.respond(request, prefix: prefix)
            }
            if !prefix.isEmpty {
                router.on(RouterPath(prefix), method: method) { request, _ in
                    try await self.respond(request, prefix: prefix)
                }
            }
        }
    }

    private func respond(_ request: Request, prefix: String) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
        var path = request.uri.path
        if !prefix.isEmpty, path.hasPrefix(prefix) { path.removeFirst(prefix.count) }
        if path.isEmpty { path = "/" }
        let query = request.uri.queryParameters.map {
            (name: String($0.key).removingPercentEncoding ?? String($0.key), value: String($0.value))
        }
        let host = request.head.authority ?? "127.0.0.1"
        let sandboxRequest = SandboxRequest(
            method: request.method.rawValue, path: path, query: query,
            headers: request.headers.map { (name: $0.name.canonicalName, value: $0.value) },
            body: Data(buffer: body), url: "http://\(host)\(request.uri.description)")
        let answer = await handle(sandboxRequest)
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// A standalone server for the sandbox on `host:port` (`leadgen sandbox`).
    public func application(host: String, port: Int) -> some ApplicationProtocol {
        let router = Router()
        addRoutes(to: router)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)))
    }
}
