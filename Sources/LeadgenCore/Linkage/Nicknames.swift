/// English given names and their common short forms, so "Bob Smith" and "Robert Smith" compare as the same
/// first name. Each entry names the formal names a nickname stands for; a name is its own formal name.
public enum Nicknames {
    static let table: [String: [String]] = [
        "abby": ["abigail"], "al": ["albert", "alfred", "alan", "alexander"], "alex": ["alexander", "alexandra"],
        "ali": ["alison", "alice"], "andy": ["andrew"], "annie": ["anne", "ann"], "art": ["arthur"],
        "barb": ["barbara"], "ben": ["benjamin"], "benny": ["benjamin"], "bert": ["albert", "herbert"],
        "beth": ["elizabeth"], "betsy": ["elizabeth"], "betty": ["elizabeth"], "bill": ["william"],
        "billy": ["william"], "bob": ["robert"], "bobby": ["robert"], "brad": ["bradley"], "cathy": ["catherine"],
        "kate": ["katherine", "catherine"], "katie": ["katherine", "catherine"], "kathy": ["katherine"],
        "chris": ["christopher", "christine", "christina"], "chuck": ["charles"], "charlie": ["charles"],
        "dan": ["daniel"], "danny": ["daniel"], "dave": ["david"], "debbie": ["deborah"], "deb": ["deborah"],
        "dick": ["richard"], "don": ["donald"], "doug": ["douglas"], "ed": ["edward", "edwin"],
        "eddie": ["edward"], "fred": ["frederick"], "frank": ["francis", "franklin"], "gabe": ["gabriel"],
        "greg": ["gregory"], "hank": ["henry"], "harry": ["henry", "harold"], "jack": ["john"],
        "jake": ["jacob"], "jamie": ["james"], "jim": ["james"], "jimmy": ["james"], "jen": ["jennifer"],
        "jenny": ["jennifer"], "jeff": ["jeffrey"], "jerry": ["gerald", "jerome"], "jess": ["jessica"],
        "joe": ["joseph"], "joey": ["joseph"], "johnny": ["john"], "jon": ["jonathan"], "josh": ["joshua"],
        "judy": ["judith"], "kim": ["kimberly"], "larry": ["lawrence"], "liz": ["elizabeth"],
        "lizzie": ["elizabeth"], "maggie": ["margaret"], "meg": ["margaret"], "peggy": ["margaret"],
        "matt": ["matthew"], "max": ["maximilian", "maxwell"], "mike": ["michael"], "mikey": ["michael"],
        "mitch": ["mitchell"], "nate": ["nathan", "nathaniel"], "nick": ["nicholas"], "pam": ["pamela"],
        "pat": ["patrick", "patricia"], "patty": ["patricia"], "pete": ["peter"], "phil": ["philip", "phillip"],
        "ray": ["raymond"], "rich": ["richard"], "rick": ["richard"], "ricky": ["richard"], "rob": ["robert"],
        "ron": ["ronald"], "ronnie": ["ronald"], "sam": ["samuel", "samantha"], "sandy": ["sandra"],
        "steve": ["steven", "stephen"], "sue": ["susan"], "susie": ["susan"], "ted": ["theodore", "edward"],
        "teddy": ["theodore"], "tom": ["thomas"], "tommy": ["thomas"], "tony": ["anthony"], "val": ["valerie"],
        "vic": ["victor", "victoria"], "vicky": ["victoria"], "will": ["william"], "zach": ["zachary"],
    ]

    /// The formal names a given name stands for (itself among them), lowercased.
    public static func formal(_ name: String) -> Set<String> {
        let key = name.lowercased()
        return Set([key] + (table[key] ?? []))
    }

    /// Whether two given names can be the same person's: equal, or one a short form of the other, or both
    /// short forms of one name.
    public static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.lowercased(), b.lowercased())
        if x == y { return true }
        let (formalX, formalY) = (table[x] ?? [], table[y] ?? [])
        return formalX.contains(y) || formalY.contains(x) || formalX.contains { formalY.contains($0) }
    }
}
