import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Providers

/// A webhook receiver on loopback that answers by a script (then 200) and checks every delivery as a careful
/// receiver does: the Standard Webhooks signature, against the secret it was given.
public actor WebhookReceiver {
    public enum Reply: Sendable {
        case status(Int, retryAfter: String? = nil)
        /// Answers 200, but only after `seconds`: later than the sender waits.
        case hang(Double)
    }

    public struct Delivery: Sendable {
        public var id: String
        public var body: [String: JSON]
        public var verified: Bool
        /// The status it answered; 0 when it answered too late.
        public var answered: Int
    }

    private var script: [Reply]
    private var secrets: [String] = []
    public private(set) var deliveries: [Delivery] = []
    let now: @Sendable () -> Date
    let latency: Duration

    /// `now` is the clock signatures are checked against; `latency` delays every answer.
    public init(script: [Reply], now: @escaping @Sendable () -> Date, latency: Duration = .zero) {
        self.script = script
        self.now = now
        self.latency = latency
    }

    public func trust(_ secret: String) { secrets = [secret] }

    /// The ids it acknowledged with a 2xx, in the order it did.
    public var acknowledged: [String] { deliveries.filter { (200..<300).contains($0.answered) }.map(\.id) }

    func receive(_ request: Request, body: Data) -> Reply {
        let id = request.headers[HTTPField.Name("webhook-id")!]
        let verified = secrets.contains { secret in
            (try? StandardWebhookSignature.verify(
                id: id, timestamp: request.headers[HTTPField.Name("webhook-timestamp")!],
                signature: request.headers[HTTPField.Name("webhook-signature")!], body: body, secret: secret,
                now: now())) != nil
        }
        let reply = script.isEmpty ? .status(200) : script.removeFirst()
        let answered: Int
        switch reply {
        case .status(let code, _): answered = code
        case .hang: answered = 0
        }
        deliveries.append(
            Delivery(
                id: id ?? "", body: (try? JSON.parse(body))?.objectValue ?? [:], verified: verified, answered: answered)
        )
        return reply
    }

    /// Runs `body` with the receiver's URL.
    public func serve(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let data = Data(String(buffer: try await request.body.collect(upTo: 1 << 20)).utf8)
            if self.latency > .zero { try await Task.sleep(for: self.latency) }
            switch await self.receive(request, body: data) {
            case .status(let code, let retryAfter):
                var headers = HTTPFields()
                if let retryAfter { headers[.retryAfter] = retryAfter }
                return Response(
                    status: .init(code: code), headers: headers,
                    body: .init(byteBuffer: ByteBuffer(string: "answer \(code)")))
            case .hang(let seconds):
                try await Task.sleep(for: .seconds(seconds))
                return Response(status: .ok)
            }
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestDatabases.logger
        )
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)/hook") }
    }
}
