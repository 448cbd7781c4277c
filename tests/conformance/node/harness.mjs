// The Node side of the conformance suite: an ix-server process of its own (gRPC and REST ports
// on loopback, mutual TLS with certificates made for the run), clients of both kinds that record
// every call they make, and the coverage check that compares those records with what the server
// offers. conformance.mjs holds the tests.
//
// gRPC: @grpc/grpc-js with @grpc/proto-loader reading proto/ as a vendor's Node team would.
// REST: undici's fetch (the implementation behind Node's global fetch, which cannot present a
// client certificate) with an Agent whose TLS options carry the caller's certificate.
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";
import protobuf from "protobufjs";
import { Agent, fetch } from "undici";

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// The message mapping both stacks are compared in: proto field names, enums by name, int64 and
// bytes as strings (base64), defaults left out — the shape of ix-server's REST answers.
const OBJECT_OPTIONS = { keepCase: true, enums: String, longs: String, bytes: String, defaults: false, json: true };

function protoFiles(root, under) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".proto")) out.push(rel);
    }
  };
  walk(under);
  return out.sort();
}

// Every .proto below proto/ix (so a new service file is enumerated without editing the suite)
// and the google.rpc error details. Include root: proto/ itself, which holds ix/, google/api/
// (the http annotations service.proto imports) and google/rpc/.
export class Protos {
  constructor(protoRoot) {
    this.files = [...protoFiles(protoRoot, "ix"), "google/rpc/status.proto", "google/rpc/error_details.proto"];
    this.definition = protoLoader.loadSync(this.files, { ...OBJECT_OPTIONS, includeDirs: [protoRoot] });
    this.grpcObject = grpc.loadPackageDefinition(this.definition);
    this.root = new protobuf.Root();
    this.root.resolvePath = (_origin, target) => path.join(protoRoot, target);
    this.root.loadSync(this.files, { keepCase: true });
    this.root.resolveAll();
  }

  // "ix.v1.InstrumentService" -> ["Describe", ...], for every service of package ix.*.
  services() {
    const out = {};
    for (const [name, value] of Object.entries(this.definition)) {
      if (!name.startsWith("ix.")) continue;
      const methods = Object.entries(value).filter(([, m]) => m && typeof m.path === "string");
      if (methods.length > 0) out[name] = methods.map(([method]) => method);
    }
    return out;
  }

  type(name) {
    return this.root.lookupType(name.replace(/^\./, ""));
  }

  // `object` (a gRPC answer or a REST JSON body) in the shared mapping, so both compare equal
  // exactly when they are the same message.
  canonical(typeName, object) {
    const type = this.type(typeName);
    return type.toObject(type.fromObject(object), OBJECT_OPTIONS);
  }

  encode(typeName, object) {
    const type = this.type(typeName);
    return Buffer.from(type.encode(type.fromObject(object)).finish());
  }

  // A google.rpc.Status (binary, from grpc-status-details-bin) with its Any details unpacked:
  // { code, message, details: [{ "@type": "google.rpc.BadRequest", ...fields }] }.
  decodeStatus(bytes) {
    const statusType = this.type("google.rpc.Status");
    const status = statusType.decode(bytes);
    return {
      code: status.code,
      message: status.message,
      details: status.details.map((any) => {
        const typeName = any.type_url.slice(any.type_url.lastIndexOf("/") + 1);
        const type = this.type(typeName);
        return { "@type": typeName, ...type.toObject(type.decode(any.value), OBJECT_OPTIONS) };
      }),
    };
  }
}

// "type.googleapis.com/google.rpc.BadRequest" -> "google.rpc.BadRequest", over REST's JSON details.
export function restStatusDetails(status) {
  return (status.details || []).map((d) => ({ ...d, "@type": d["@type"].slice(d["@type"].lastIndexOf("/") + 1) }));
}

export function fieldViolations(details) {
  return details.filter((d) => d["@type"] === "google.rpc.BadRequest").flatMap((d) => d.field_violations || []);
}

export function errorReasons(details) {
  return details.filter((d) => d["@type"] === "google.rpc.ErrorInfo").map((d) => d.reason);
}

// The server process: started with a configuration file, ports read from its standard output.
export class Server {
  constructor(binary, dir, configFile) {
    this.dir = dir;
    // The audit log in a folder of its own: the server's default key folder is that folder's
    // sibling ("audit-keys"), so it stays inside `dir` and is removed with it.
    fs.mkdirSync(path.join(dir, "audit"), { recursive: true });
    this.audit = path.join(dir, "audit", "audit.log");
    this.log = path.join(dir, "server.log");
    this.stdout = path.join(dir, "server.stdout");
    this.args = ["--config", configFile, "--listen", "127.0.0.1:0", "--audit-log", this.audit, "--log-file", this.log,
                 "--log-level", "debug", "--rest-listen", "127.0.0.1:0"];
    this.binary = binary;
  }

  async start(timeoutMs = 30000) {
    const out = fs.openSync(this.stdout, "w");
    this.process = spawn(this.binary, this.args, { cwd: this.dir, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    this.exited = new Promise((resolve) => this.process.on("exit", (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) {
        throw new Error(`ix-server exited with ${this.process.exitCode}:\n${fs.readFileSync(this.stdout, "utf8")}`);
      }
      const text = fs.readFileSync(this.stdout, "utf8");
      const grpcPort = /serving on port (\d+)/.exec(text);
      const restPort = /REST\/JSON on port (\d+)/.exec(text);
      if (grpcPort) {
        if (!restPort) throw new Error(`ix-server serves without a REST port:\n${text}`);
        this.grpcPort = Number(grpcPort[1]);
        this.restPort = Number(restPort[1]);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`ix-server did not report its ports within ${timeoutMs} ms`);
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null) return this.process ? this.process.exitCode : null;
    this.process.kill("SIGTERM");
    const { code } = await this.exited;
    return code;
  }
}

// Clients of both stacks for one server, each call recorded for the coverage check.
export class Clients {
  constructor(protos, server, certs) {
    this.protos = protos;
    this.server = server;
    this.certs = certs;
    this.grpcCalls = new Map();  // "ix.v1.InstrumentService.Validate" -> { calls, ok }
    this.restCalls = new Map();  // "POST /v1/responses:validate" -> { calls, ok }
    this.grpcClients = new Map();
    this.agents = new Map();
  }

  read(name) {
    return fs.readFileSync(path.join(this.certs, name));
  }

  grpcClient(service, caller) {
    const key = `${service} ${caller}`;
    if (!this.grpcClients.has(key)) {
      const Client = service.split(".").reduce((o, part) => o[part], this.protos.grpcObject);
      const credentials = caller
        ? grpc.credentials.createSsl(this.read("ca.crt"), this.read(`${caller}.key`), this.read(`${caller}.crt`))
        : grpc.credentials.createSsl(this.read("ca.crt"));
      this.grpcClients.set(key, new Client(`localhost:${this.server.grpcPort}`, credentials));
    }
    return this.grpcClients.get(key);
  }

  // Calls service.method as `caller`; resolves { ok, value } or { ok: false, code, message,
  // status } with the google.rpc.Status of the trailer decoded.
  grpc(service, method, request, { caller = "sodertalje", deadlineMs = 15000 } = {}) {
    const client = this.grpcClient(service, caller);
    if (typeof client[method] !== "function") throw new Error(`${service} has no method ${method}`);
    const record = this.grpcCalls.get(`${service}.${method}`) || { calls: 0, ok: 0 };
    this.grpcCalls.set(`${service}.${method}`, record);
    record.calls++;
    return new Promise((resolve) => {
      client[method](request, { deadline: new Date(Date.now() + deadlineMs) }, (error, value) => {
        if (!error) {
          record.ok++;
          resolve({ ok: true, value });
          return;
        }
        const raw = error.metadata ? error.metadata.get("grpc-status-details-bin") : [];
        const status = raw.length > 0 ? this.protos.decodeStatus(raw[0]) : null;
        resolve({ ok: false, code: error.code, message: error.details, status });
      });
    });
  }

  agent(caller) {
    if (!this.agents.has(caller)) {
      const connect = { ca: this.read("ca.crt"), servername: "localhost" };
      if (caller) Object.assign(connect, { cert: this.read(`${caller}.crt`), key: this.read(`${caller}.key`) });
      this.agents.set(caller, new Agent({ connect }));
    }
    return this.agents.get(caller);
  }

  // verb path as `caller`; body: an object sent as JSON, or a string sent as it is. Resolves
  // { http, json, text, headers }; http 0 when no HTTP answer came (e.g. the handshake failed).
  async rest(verb, route, body, { caller = "sodertalje", contentType = "application/json", query = "" } = {}) {
    const key = `${verb} ${route}`;
    const record = this.restCalls.get(key) || { calls: 0, ok: 0 };
    this.restCalls.set(key, record);
    record.calls++;
    const init = { method: verb, dispatcher: this.agent(caller), headers: {} };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      init.headers["content-type"] = contentType;
    }
    let response;
    try {
      response = await fetch(`https://localhost:${this.server.restPort}${route}${query}`, init);
    } catch (error) {
      return { http: 0, error };
    }
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.status === 200) record.ok++;
    return { http: response.status, json, text, headers: response.headers };
  }

  close() {
    for (const client of this.grpcClients.values()) client.close();
    return Promise.all([...this.agents.values()].map((a) => a.close()));
  }
}

// The routes of the generated OpenAPI document: [{ verb, path, rpc: "ix.v1.PluginAdmin.Status" }].
export function openApiRoutes(file) {
  const document = JSON.parse(fs.readFileSync(file, "utf8"));
  const routes = [];
  for (const [route, item] of Object.entries(document.paths)) {
    for (const [verb, operation] of Object.entries(item)) {
      routes.push({ verb: verb.toUpperCase(), path: route, rpc: operation.summary });
    }
  }
  return routes;
}

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "ix-conformance-node-"));
}

export function run(command, args, options = {}) {
  return execFileSync(command, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", ...options });
}
