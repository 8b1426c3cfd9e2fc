import AsyncHTTPClient
import Foundation
import LeadgenCore
import NIOCore
import NIOHTTP1

/// Sends one outgoing webhook attempt: a signed POST to the endpoint's URL, through the outbound URL policy,
/// with no redirect followed (a redirect is a failed attempt), within the timeout.
public struct WebhookSender: Sendable {
    let client: GuardedHTTPClient
    let timeout: TimeAmount

    /// How long an endpoint has to answer, in seconds.
    public var timeoutSeconds: TimeInterval { TimeInterval(timeout.nanoseconds) / 1e9 }

    /// At most this much of an endpoint's answer is kept in the delivery log.
    public static let excerptLimit = 1024

    /// `timeout` in seconds.
    public init(client: GuardedHTTPClient, timeout: TimeInterval = 15) {
        self.client = client
        self.timeout = .milliseconds(Int64(max(0.001, timeout) * 1000))
    }

    /// What to send.
    public struct Attempt: Sendable {
        public var url: String
        public var messageID: String
        public var body: String
        /// The signing secrets, current first.
        public var secrets: [String]
        /// When the attempt is made; its Unix seconds are the `webhook-timestamp`.
        public var timestamp: Date

        public init(url: String, messageID: String, body: String, secrets: [String], timestamp: Date) {
            self.url = url
            self.messageID = messageID
            self.body = body
            self.secrets = secrets
            self.timestamp = timestamp
        }
    }

    /// What came back: the status, the start of the body, and the `Retry-After`; or why nothing came.
    public struct Answer: Sendable, Equatable {
        public var statusCode: Int?
        public var error: String?
        public var excerpt: String
        public var retryAfter: TimeInterval?

        public init(statusCode: Int?, error: String?, excerpt: String = "", retryAfter: TimeInterval? = nil) {
            self.statusCode = statusCode
            self.error = error
            self.excerpt = excerpt
            self.retryAfter = retryAfter
        }
    }

    public func send(_ attempt: Attempt) async -> Answer {
        let seconds = Int(attempt.timestamp.timeIntervalSince1970.rounded(.down))
        let body = Data(attempt.body.utf8)
        let signature: String
        do {
            signature = try StandardWebhookSignature.header(
                id: attempt.messageID, timestamp: seconds, body: body, secrets: attempt.secrets)
        } catch {
            return Answer(statusCode: nil, error: error.description, excerpt: "", retryAfter: nil)
        }
        var request = HTTPClientRequest(url: attempt.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Leadgen-Webhooks/1")
        request.headers.add(name: "webhook-id", value: attempt.messageID)
        request.headers.add(name: "webhook-timestamp", value: String(seconds))
        request.headers.add(name: "webhook-signature", value: signature)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await OutgoingRequestSpan.around(request, component: "webhook") {
                try await client.execute($0, timeout: timeout, followRedirects: false)
            }
            let excerpt = await Self.excerpt(of: response.body)
            return Answer(
                statusCode: Int(response.status.code), error: nil, excerpt: excerpt,
                retryAfter: RetryAfter.seconds(response.headers.first(name: "retry-after"), now: attempt.timestamp))
        } catch let failure as GuardedHTTPClient.Failure {
            return Answer(statusCode: nil, error: failure.description, excerpt: "", retryAfter: nil)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return Answer(
                statusCode: nil, error: "no answer within \(Double(timeout.nanoseconds) / 1e9) s", excerpt: "",
                retryAfter: nil)
        } catch {
            return Answer(statusCode: nil, error: "the request failed: \(error)", excerpt: "", retryAfter: nil)
        }
    }

    /// The first `excerptLimit` characters of an answer; the rest is not read.
    static func excerpt(of body: HTTPClientResponse.Body) async -> String {
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                bytes += chunk.readableBytesView.prefix(excerptLimit * 4 - bytes.count)
                if bytes.count >= excerptLimit * 4 { break }
            }
        } catch {}
        return String(String(decoding: bytes, as: UTF8.self).prefix(excerptLimit))
    }
}
