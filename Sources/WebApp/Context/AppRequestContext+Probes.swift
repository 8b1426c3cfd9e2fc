import Probes

extension AppRequestContext: PeerAddressContext {}
