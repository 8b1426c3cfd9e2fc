import Foundation
import LeadgenCore
import Sandbox

/// What the web layer adds to the application's settings.
public struct WebSettings: Sendable {
    /// The largest request body (and upload) accepted, in bytes.
    public var maxBodySize = 64 * 1024 * 1024
    /// Where scenario webhooks are reached, when not at the public URL (`LEADGEN_HOOKS_URL`).
    public var hooksURL: URL?
    /// The bearer token `/metrics` asks for (`LEADGEN_METRICS_TOKEN`); without it, loopback clients only.
    public var metricsToken: String?
    /// Proxies whose forwarded headers are believed, besides this machine (`LEADGEN_TRUSTED_PROXIES`).
    public var trustedProxies: [IPRange] = []
    /// The browser extensions allowed to call the API from their pages (`LEADGEN_EXTENSION_IDS`).
    public var extensionIDs: [String] = []
    /// In sandbox mode, the fake vendors served under `/sandbox`.
    public var sandbox: Sandbox?

    public init(maxBodySize: Int = 64 * 1024 * 1024) {
        self.maxBodySize = maxBodySize
    }
}
