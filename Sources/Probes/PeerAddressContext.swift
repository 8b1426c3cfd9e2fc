import Hummingbird

/// A request context that knows the address of the connection's peer (the last proxy, behind one): `/metrics`
/// answers this machine alone when no token is set.
public protocol PeerAddressContext: RequestContext {
    var clientAddress: String? { get }
}
