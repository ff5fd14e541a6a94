"""Batch oracle: gcloud's own functions, run by the Cloud SDK's bundled Python.

Not a test module. The gcloud tests start it once per batch:

    $SDK/platform/bundledpythonunix/bin/python3 gcloud_oracle.py SDK_ROOT < batch.json

and read one JSON document from its standard output. The batch is
``{"payloads": [url, ...], "pae": [[type, body], ...], "policies": [item, ...],
"attestors": [item, ...], "platformPolicies": [item, ...]}`` where an item is ``{"value": <JSON>}`` (a .json file's content)
or ``{"text": "..."}`` (a .yaml file's content). Each answer is ``{"ok": ...}`` (the payload or PAE
bytes in base64; the decoded message as JSON) or ``{"error": "ExceptionClass: message"}``.

The functions called are the ones the commands call:
- payloads: ``command_lib.container.binauthz.util.MakeSignaturePayload`` (what
  ``create-signature-payload`` and ``attestations sign-and-create`` sign);
- PAE: ``util.PaeEncode`` (``sign-and-create --pae-encode-payload``);
- policies: ``parsing.LoadResourceFile``'s decoders (``yaml.load`` / ``json.loads``), then
  ``messages_util.DictToMessageWithErrorCheck(obj, messages.Policy)`` on the v1 messages, as
  ``gcloud container binauthz policy import`` does;
- attestors: the same decoding into ``messages.Attestor`` (the shape ``attestors describe``
  prints and the REST API takes);
- platform policies (``"platformPolicies"``): the same decoding into ``messages.PlatformPolicy``,
  as ``gcloud beta container binauthz policy create --platform=gke --policy-file`` does;
- platform_responses: ``encoding.JsonToMessage(messages.EvaluateGkePolicyResponse, text)`` (how
  gcloud reads the ``policy evaluate`` answer), then the fields it did not recognize at any
  depth (``{"ok": {"message": <MessageToDict>, "unrecognized": ["/results/0/…", …]}}``).
"""

import base64
import json
import os
import sys


def _setup(sdk_root):
    lib = os.path.join(sdk_root, "lib")
    sys.path[:0] = [lib, os.path.join(lib, "third_party")]


def _error(e):
    return {"error": "%s: %s" % (type(e).__name__, e)}


def main():
    _setup(sys.argv[1])
    from googlecloudsdk.api_lib.container.binauthz import apis
    from googlecloudsdk.api_lib.util import messages as messages_util
    from googlecloudsdk.command_lib.container.binauthz import util
    from googlecloudsdk.core import yaml
    from apitools.base.py import encoding
    from apitools.base.protorpclite import messages as messages_util_fields

    messages = apis.GetMessagesModule(apis.V1)
    batch = json.load(sys.stdin)

    def payload(url):
        try:
            return {"ok": base64.b64encode(util.MakeSignaturePayload(url)).decode("ascii")}
        except Exception as e:  # noqa: BLE001 - any exception is gcloud refusing the URL
            return _error(e)

    def pae(dsse_type, body):
        return {"ok": base64.b64encode(util.PaeEncode(dsse_type, body)).decode("ascii")}

    def decode(item, message_type):
        try:
            if "text" in item:
                obj = yaml.load(item["text"])  # LoadResourceFile for .yaml/.yml
            else:
                obj = item["value"]  # LoadResourceFile for .json: json.loads
            if not obj:
                obj = {}  # `policy import` imports an empty file as an empty policy
            message = messages_util.DictToMessageWithErrorCheck(obj, message_type)
            return {"ok": encoding.MessageToDict(message)}
        except Exception as e:  # noqa: BLE001 - apitools raises several kinds, even AttributeError
            return _error(e)

    def unrecognized(message, path, found):
        """The JSON paths of fields apitools kept as unrecognized, at every depth."""
        for name in message.all_unrecognized_fields():
            found.append("%s/%s" % (path, name))
        for field in message.all_fields():
            value = message.get_assigned_value(field.name)
            if value is None or not hasattr(field, "message_type") or not isinstance(
                field, messages_util_fields.MessageField
            ):
                continue
            values = value if field.repeated else [value]
            for i, item in enumerate(values):
                sub = "%s/%s" % (path, field.name) + ("/%d" % i if field.repeated else "")
                unrecognized(item, sub, found)
        return found

    def response(text):
        try:
            message = encoding.JsonToMessage(messages.EvaluateGkePolicyResponse, text)
            return {"ok": {"message": encoding.MessageToDict(message), "unrecognized": unrecognized(message, "", [])}}
        except Exception as e:  # noqa: BLE001 - any exception is gcloud refusing the JSON
            return _error(e)

    out = {
        "payloads": [payload(u) for u in batch.get("payloads", [])],
        "pae": [pae(t, b) for t, b in batch.get("pae", [])],
        "policies": [decode(p, messages.Policy) for p in batch.get("policies", [])],
        "attestors": [decode(a, messages.Attestor) for a in batch.get("attestors", [])],
        "platformPolicies": [
            decode(p, messages.PlatformPolicy) for p in batch.get("platformPolicies", [])
        ],
        "platform_responses": [response(t) for t in batch.get("platform_responses", [])],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
