"""Paho MQTT probe for the broker's interop tests: connect, subscribe, publish, report JSON.

usage: paho-client.py HOST PORT TRANSPORT(tcp|websockets) VERSION(4|5) USER|- PASS|- ALLOWED DENIED
Prints one JSON object: connack code, per-filter SUBACK codes, the message it got back.
"""
import json, sys, threading
import paho.mqtt.client as mqtt

host, port, transport, version, user, password, allowed, denied = sys.argv[1:9]
v5 = version == "5"
out = {"connack": None, "suback": None, "message": None}
connected, subscribed, received = threading.Event(), threading.Event(), threading.Event()

client = mqtt.Client(client_id="paho-probe", protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311, transport=transport)
if transport == "websockets":
    client.ws_set_options(path="/mqtt")
if user != "-":
    client.username_pw_set(user, None if password == "-" else password)

def on_connect(c, userdata, flags, rc, properties=None):
    out["connack"] = rc.value if hasattr(rc, "value") else rc
    connected.set()

def on_subscribe(c, userdata, mid, granted, properties=None):
    out["suback"] = [g.value if hasattr(g, "value") else g for g in granted]
    subscribed.set()

def on_message(c, userdata, msg):
    out["message"] = {"topic": msg.topic, "payload": msg.payload.decode()}
    received.set()

client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
try:
    client.connect(host, int(port), keepalive=30)
    client.loop_start()
    connected.wait(10)
    if out["connack"] == 0:
        client.subscribe([(allowed, 1), (denied, 1)])
        subscribed.wait(10)
        client.publish(allowed.replace("#", "probe"), "from-paho", qos=1)
        received.wait(10)
        client.disconnect()
    client.loop_stop()
except Exception as e:  # a refused connection is a result, not a crash
    out["error"] = str(e)
print(json.dumps(out))
