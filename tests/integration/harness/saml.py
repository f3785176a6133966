"""SAML 2.0 bearer assertions signed by an independent tool: the xmlsec1 command line."""
import datetime
import os
import subprocess
import tempfile
import uuid

NS = "urn:oasis:names:tc:SAML:2.0:assertion"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"

SIGNATURE = """<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
      <ds:Reference URI="#{id}">
        <ds:Transforms>
          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
          <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
        </ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue/>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue/>
  </ds:Signature>"""


def ts(delta=0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def assertion_xml(issuer, audience, recipient, subject="alice@example.com", lifetime=300,
                  assertion_id=None, method=BEARER, not_before=-60):
    aid = assertion_id or "_" + uuid.uuid4().hex
    return aid, f"""<?xml version="1.0" encoding="UTF-8"?>
<saml:Assertion xmlns:saml="{NS}" ID="{aid}" Version="2.0" IssueInstant="{ts()}">
  <saml:Issuer>{issuer}</saml:Issuer>
  {SIGNATURE.format(id=aid)}
  <saml:Subject>
    <saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{subject}</saml:NameID>
    <saml:SubjectConfirmation Method="{method}">
      <saml:SubjectConfirmationData NotOnOrAfter="{ts(lifetime)}" Recipient="{recipient}"/>
    </saml:SubjectConfirmation>
  </saml:Subject>
  <saml:Conditions NotBefore="{ts(not_before)}" NotOnOrAfter="{ts(lifetime)}">
    <saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
  </saml:Conditions>
  <saml:AuthnStatement AuthnInstant="{ts()}">
    <saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>
  </saml:AuthnStatement>
</saml:Assertion>
"""


def sign(xml, key, cert):
    """Signs the template's ds:Signature with xmlsec1; returns the signed XML."""
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "in.xml"), os.path.join(d, "out.xml")
        with open(src, "w") as f:
            f.write(xml)
        subprocess.run(["xmlsec1", "--sign", "--privkey-pem", f"{key},{cert}",
                        "--id-attr:ID", f"{NS}:Assertion", "--output", out, src],
                       check=True, capture_output=True)
        with open(out) as f:
            return f.read()


def b64url(xml):
    import base64
    return base64.urlsafe_b64encode(xml.encode()).rstrip(b"=").decode()
