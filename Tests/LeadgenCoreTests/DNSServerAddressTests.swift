import LeadgenCore
import Testing

/// `LEADGEN_DNS_SERVER` and resolv.conf's nameserver lines.
@Suite struct DNSServerAddressTests {
    @Test func addressesAndPortsAreRead() {
        #expect(DNSServerAddress("127.0.0.1:5353") == DNSServerAddress("127.0.0.1:5353"))
        #expect(DNSServerAddress("127.0.0.1:5353")?.port == 5353)
        #expect(DNSServerAddress("192.0.2.53")?.port == 53)
        #expect(DNSServerAddress("[::1]:5353")?.host == "::1")
        #expect(DNSServerAddress("[::1]:5353")?.description == "[::1]:5353")
        #expect(DNSServerAddress("2001:db8::53")?.port == 53)
        for bad in ["", "dns.example:53", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:x", "[::1", "[::1]x"] {
            #expect(DNSServerAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func theFirstUsableNameserverOfResolvConfIsTaken() {
        let text = """
            # generated
            search example.com
            nameserver fe80::1%eth0
            nameserver 10.0.0.2
            nameserver 10.0.0.3
            """
        #expect(DNSServerAddress.firstNameserver(inResolvConf: text)?.description == "10.0.0.2:53")
        #expect(DNSServerAddress.firstNameserver(inResolvConf: "options ndots:5\n") == nil)
    }
}
