import LeadgenCore
import Providers

extension OutboundURLPolicy {
    /// The production policy, opened to this machine: the tests' sandboxes and servers listen on loopback.
    public static let testLoopback = OutboundURLPolicy.system(
        allowedRanges: ["127.0.0.0/8", "::1/128"].compactMap { IPRange($0) })
}
