import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The messaging fakes' way back: they call our webhooks as the vendors do, signed as the vendors sign
/// (docs/reference/messaging.md §1.3 SendGrid's ECDSA over timestamp + body, §2.3 Mailgun's HMAC of timestamp +
/// token, §3.4 Twilio's HMAC-SHA1 of the URL and the sorted parameters). Nothing is called until a base URL is
/// set (`SandboxOptions.callbackBaseURL`, or `POST /__sandbox/callbacks`). Every call is kept for inspection.
final class MessagingCallbacks: Sendable {
    /// SendGrid's signing key, made afresh for each sandbox; its public half is what
    /// `SENDGRID_WEBHOOK_PUBLIC_KEY` must be.
    let sendgridKey: Data
    private let base: Mutex<URL?>
    private let sent = Mutex<[[String: String]]>([])
    /// The clock the signatures' timestamps are read from.
    let now: @Sendable () -> Date

    init(baseURL: URL?, now: @escaping @Sendable () -> Date) {
        sendgridKey = P256.Signing.PrivateKey().rawRepresentation
        base = Mutex(baseURL)
        self.now = now
    }

    /// Base64 DER SubjectPublicKeyInfo, as SendGrid shows it.
    var sendgridPublicKey: String {
        (try? P256.Signing.PrivateKey(rawRepresentation: sendgridKey))?.publicKey.derRepresentation
            .base64EncodedString() ?? ""
    }

    var baseURL: URL? {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    var log: [[String: String]] { sent.withLock { $0 } }

    /// SendGrid's event webhook: a JSON array of events, signed.
    func sendgridEvents(_ events: [[String: Any]]) {
        guard let url = baseURL?.appendingPathComponent("webhooks/sendgrid/events"),
            var body = try? JSONSerialization.data(withJSONObject: events, options: [.sortedKeys])
        else { return }
        body.append(contentsOf: Array("\r\n".utf8))
        let timestamp = String(Int(now().timeIntervalSince1970))
        guard let key = try? P256.Signing.PrivateKey(rawRepresentation: sendgridKey),
            let signature = try? key.signature(for: Data(timestamp.utf8) + body)
        else { return }
        post(
            url, body: body, contentType: "application/json",
            headers: [
                ("X-Twilio-Email-Event-Webhook-Signature", signature.derRepresentation.base64EncodedString()),
                ("X-Twilio-Email-Event-Webhook-Timestamp", timestamp),
            ], label: "sendgrid")
    }

    /// Mailgun's webhook: `{"signature": {timestamp, token, signature}, "event-data": …}`.
    func mailgunEvent(_ event: [String: Any]) {
        guard let url = baseURL?.appendingPathComponent("webhooks/mailgun/events") else { return }
        let object: [String: Any] = ["signature": mailgunSignature(), "event-data": event]
        guard let body = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        post(url, body: body, contentType: "application/json", headers: [], label: "mailgun")
    }

    /// A Mailgun route forwarding an inbound e-mail: a form with the message's fields and the signature's.
    func mailgunRoute(_ fields: [(String, String)]) {
        guard let url = baseURL?.appendingPathComponent("webhooks/mailgun/inbound") else { return }
        let signature = mailgunSignature()
        let all =
            fields + [
                ("timestamp", signature["timestamp"]!), ("token", signature["token"]!),
                ("signature", signature["signature"]!),
            ]
        post(
            url, body: Data(Self.form(all).utf8), contentType: "application/x-www-form-urlencoded", headers: [],
            label: "mailgun-route")
    }

    func mailgunSignature() -> [String: String] {
        let timestamp = String(Int(now().timeIntervalSince1970))
        let token = (0..<50).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! }.map(String.init)
            .joined()
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data((timestamp + token).utf8),
            using: SymmetricKey(data: Data(SandboxOptions.mailgunWebhookSigningKey.utf8)))
        return [
            "timestamp": timestamp, "token": token, "signature": mac.map { String(format: "%02x", $0) }.joined(),
        ]
    }

    /// SendGrid's Inbound Parse: the parsed e-mail as `multipart/form-data`, to the URL with its secret.
    func sendgridInbound(_ fields: [(String, String)]) {
        guard
            var components = baseURL.flatMap({
                URLComponents(
                    url: $0.appendingPathComponent("webhooks/sendgrid/inbound"), resolvingAgainstBaseURL: false)
            })
        else { return }
        components.queryItems = [URLQueryItem(name: "token", value: SandboxOptions.sendgridInboundParseToken)]
        guard let url = components.url else { return }
        let boundary = "sandbox-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)--\r\n"
        post(
            url, body: Data(body.utf8), contentType: "multipart/form-data; boundary=\(boundary)", headers: [],
            label: "sendgrid-inbound")
    }

    /// Twilio's form callbacks (status, inbound), signed over the URL called and the sorted parameters.
    func twilio(_ url: URL, _ fields: [(String, String)]) {
        let payload = url.absoluteString + fields.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { $0.0 + $0.1 }.joined()
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data(payload.utf8), using: SymmetricKey(data: Data(SandboxOptions.twilioAuthToken.utf8)))
        post(
            url, body: Data(Self.form(fields).utf8), contentType: "application/x-www-form-urlencoded",
            headers: [("X-Twilio-Signature", Data(mac).base64EncodedString())], label: "twilio")
    }

    func twilioInbound(_ fields: [(String, String)]) {
        guard let url = baseURL?.appendingPathComponent("webhooks/twilio/inbound") else { return }
        twilio(url, fields)
    }

    /// The latest calls kept for `GET /__sandbox/callbacks`.
    static let logLimit = 1000

    /// Posts in the background, as the vendors do after they answered the send.
    private func post(
        _ url: URL, body: Data, contentType: String, headers: [(String, String)], label: String
    ) {
        sent.withLock {
            $0.append(["url": url.absoluteString, "vendor": label, "body": String(decoding: body, as: UTF8.self)])
            if $0.count > Self.logLimit { $0.removeFirst($0.count - Self.logLimit) }
        }
        let id = UUID()
        // Started under the lock, so the task cannot forget itself before it is listed.
        pending.withLock { pending in
            pending[id] = Task.detached { [self] in
                var request = HTTPClientRequest(url: url.absoluteString)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: contentType)
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                request.body = .bytes(ByteBuffer(bytes: body))
                _ = try? await HTTPClient.shared.execute(request, timeout: .seconds(10))
                // A finished call is forgotten, so a long-running sandbox holds only the calls in flight.
                _ = self.pending.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    private let pending = Mutex<[UUID: Task<Void, Never>]>([:])

    /// Waits until every callback posted so far has been answered.
    func settle() async {
        for task in pending.withLock({ Array($0.values) }) { await task.value }
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map {
            ($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.0) + "="
                + ($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)
        }.joined(separator: "&")
    }
}
