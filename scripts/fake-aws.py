#!/usr/bin/env python3
"""A stand-in for the few AWS API calls that planning makes, on 127.0.0.1.

scripts/audit-fixtures.sh starts it (AWS_ENDPOINT_URL_STS and
AWS_ENDPOINT_URL_EC2 point at it) so that the hashicorp/aws provider plans
offline a configuration with `assume_role` and `allowed_account_ids` in its
provider blocks, and the aws_ec2_managed_prefix_list data source of the
generated module. It answers:

  - STS AssumeRole with fake temporary credentials for the role asked for
    (the access key carries the role's account: ASIA<account>FAKE);
  - STS GetCallerIdentity with the account whose 12 digits the access key
carries (AKIA333333333333FAKE is account 333333333333), or 000000000000.
  - EC2 DescribeManagedPrefixLists with one AWS-owned prefix list named as
    the prefix-list-name filter asks (id pl-<hash of the name>), and
    GetManagedPrefixListEntries with one documentation range, 192.0.2.0/24.

Nothing is checked and nothing is kept. Usage: fake-sts.py PORT_FILE; it listens on a free
port and writes the port to PORT_FILE.
"""
import hashlib
import http.server
import re
import sys
import urllib.parse

ASSUMED = """<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIA{account}FAKE</AccessKeyId>
      <SecretAccessKey>fake</SecretAccessKey>
      <SessionToken>fake</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAFAKE:fixture</AssumedRoleId>
      <Arn>arn:aws:sts::{account}:assumed-role/fixture/fixture</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>
</AssumeRoleResponse>
"""

IDENTITY = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::{account}:user/fixture</Arn>
    <UserId>AIDAFAKE</UserId>
    <Account>{account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>
"""


PREFIX_LISTS = """<DescribeManagedPrefixListsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>fake</requestId>
  <prefixListSet>
    <item>
      <prefixListId>{id}</prefixListId>
      <addressFamily>IPv4</addressFamily>
      <state>create-complete</state>
      <prefixListArn>arn:aws:ec2:us-east-1:aws:prefix-list/{id}</prefixListArn>
      <prefixListName>{name}</prefixListName>
      <maxEntries>1</maxEntries>
      <version>1</version>
      <ownerId>AWS</ownerId>
    </item>
  </prefixListSet>
</DescribeManagedPrefixListsResponse>
"""

ENTRIES = """<GetManagedPrefixListEntriesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>fake</requestId>
  <entrySet>
    <item><cidr>192.0.2.0/24</cidr></item>
  </entrySet>
</GetManagedPrefixListEntriesResponse>
"""


def prefix_list_id(name):
    return "pl-" + hashlib.sha256(name.encode()).hexdigest()[:17]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        form = urllib.parse.parse_qs(body)
        action = form.get("Action", [""])[0]
        role = form.get("RoleArn", ["arn:aws:iam::000000000000:role/fixture"])[0]
        if action == "DescribeManagedPrefixLists":
            name = form.get("Filter.1.Value.1", ["com.amazonaws.fake"])[0]
            for k, v in form.items():
                if k.endswith(".Name") and v[0] == "prefix-list-name":
                    name = form.get(k[: -len("Name")] + "Value.1", [name])[0]
            out = PREFIX_LISTS.format(id=prefix_list_id(name), name=name)
            return self.reply(out)
        if action == "GetManagedPrefixListEntries":
            return self.reply(ENTRIES)
        if action == "AssumeRole":
            template = ASSUMED
            account = role.split(":")[4] if role.count(":") >= 5 else "000000000000"
        else:
            template = IDENTITY
            key = re.search(r"Credential=([A-Z0-9]+)/", self.headers.get("Authorization", ""))
            digits = re.search(r"\d{12}", key.group(1)) if key else None
            account = digits.group(0) if digits else "000000000000"
        self.reply(template.format(account=account))

    def reply(self, text):
        out = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
