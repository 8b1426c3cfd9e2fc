import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Tracing

/// A client span around one request to a URL a user set (an outgoing webhook, a scenario's HTTP module), the
/// way `ProviderTransport` traces vendor calls: method, host, port, scheme and status, never the path, query,
/// headers or body, where such URLs carry their secrets. The request goes out with `traceparent`, so a
/// receiver that traces joins the trace. When tracing is off the span is a no-op and no header is added.
public enum OutgoingRequestSpan {
    public static func around(
        _ request: HTTPClientRequest, component: String,
        _ send: (HTTPClientRequest) async throws -> HTTPClientResponse
    ) async throws -> HTTPClientResponse {
        try await withSpan(request.method.rawValue, ofKind: .client) { span in
            let url = URL(string: request.url)
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["server.address"] = url?.host()
            span.attributes["server.port"] = url?.port
            span.attributes["url.scheme"] = url?.scheme
            span.attributes["leadgen.component"] = component
            var request = request
            InstrumentationSystem.instrument.inject(
                ServiceContext.current ?? .topLevel, into: &request.headers, using: HTTPHeadersInjector())
            do {
                let response = try await send(request)
                let status = Int(response.status.code)
                span.attributes["http.response.status_code"] = status
                if status >= 400 {
                    span.attributes["error.type"] = String(status)
                    span.setStatus(SpanStatus(code: .error))
                }
                return response
            } catch {
                span.attributes["error.type"] =
                    switch error {
                    case is GuardedHTTPClient.Failure: "refused"
                    case let client as HTTPClientError where client == .deadlineExceeded || client == .readTimeout:
                        "timeout"
                    default: "unreachable"
                    }
                span.setStatus(SpanStatus(code: .error))
                throw error
            }
        }
    }
}

/// Writes trace-context headers into an outgoing request.
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}
