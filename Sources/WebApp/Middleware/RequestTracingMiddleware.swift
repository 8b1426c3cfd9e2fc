import HTTPTypes
import Hummingbird
import Tracing

/// One server span per request, as OpenTelemetry's HTTP conventions name them (`GET /api/v1/leads/{id}`),
/// continuing the caller's trace when a `traceparent` header comes with the request. Unlike Hummingbird's own
/// tracing middleware it records the path as the request log does, with the capability segments of
/// `/hooks/…`, `/u/…` and `/webhooks/apollo/…` and every query value left out. When tracing is off the span
/// is a no-op. Probes and scrapes, which come every few seconds and say nothing about a user's request, make
/// no spans.
struct RequestTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    static var untraced: Set<String> { ["/healthz", "/readyz", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.untraced.contains(request.uri.path) { return try await next(request, context) }
        var parent = ServiceContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let span = startSpan(request.method.rawValue, context: parent, ofKind: .server)
        span.attributes["http.request.method"] = request.method.rawValue
        span.attributes["url.path"] = RequestLogMiddleware<Context>.redacted(path: request.uri.path, query: nil)
        span.attributes["leadgen.request.id"] = context.id
        if let agent = request.headers[.userAgent] {
            span.attributes["user_agent.original"] = String(agent.prefix(256))
        }
        func named() {
            guard let route = context.endpointPath else { return }
            span.operationName = "\(request.method.rawValue) \(route)"
            span.attributes["http.route"] = route
        }
        do {
            var response = try await ServiceContext.$current.withValue(span.context) {
                try await next(request, context)
            }
            named()
            span.attributes["http.response.status_code"] = Int(response.status.code)
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
            // The span lasts until the body is written: a streamed export takes its time there.
            // A response dropped before it is written ends no span: that request is missing from the trace.
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                defer { span.end() }
                try await body.write(writer)
            }
            return response
        } catch {
            named()
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            span.attributes["http.response.status_code"] = Int(status)
            if status >= 500 {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
            }
            span.end()
            throw error
        }
    }
}

/// Reads trace-context headers from an incoming request.
private struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        return fields[name]
    }
}
