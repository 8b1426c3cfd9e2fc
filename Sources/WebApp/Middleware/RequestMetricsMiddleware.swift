import Hummingbird
import LeadgenCore

/// Requests this process answered, by method, route pattern and status, with the time they took:
/// `leadgen_http_requests_total` and the `leadgen_http_request_seconds` histogram at `/metrics`. The route is
/// the pattern (`/api/v1/leads/{id}`), never the path, so ids and capability tokens stay out and the number of
/// series stays bounded; requests that match no route count under Hummingbird's `NotFound`.
final class RequestMetrics: MetricsSource {
    private let requests = DurationMetrics(
        labels: ["method", "route", "status"],
        counter: ("leadgen_http_requests_total", "Requests answered, by method, route and status."),
        histogram: ("leadgen_http_request_seconds", "Time spent answering requests, by method, route and status."),
        bounds: LatencyHistogram.requestBounds)

    func record(method: String, route: String?, status: Int, seconds: Double) {
        requests.record([method, route ?? "unmatched", String(status)], seconds: seconds)
    }

    func prometheusText() -> String { requests.prometheusText() }
}

/// Counts each request into `RequestMetrics` once it is answered, errors included (a thrown error counts with
/// the status it is answered with).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // A duration, not a time of day: the monotonic clock.
        let started = ContinuousClock.now
        func record(_ status: Int) {
            let elapsed = (ContinuousClock.now - started).components
            metrics.record(
                method: request.method.rawValue, route: context.endpointPath, status: status,
                seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        }
        do {
            let response = try await next(request, context)
            record(Int(response.status.code))
            return response
        } catch {
            record(Int((error as? any HTTPResponseError)?.status.code ?? 500))
            throw error
        }
    }
}
