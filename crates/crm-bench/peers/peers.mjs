// The peers' side of `crm-bench --peers`: the same workloads as ours, run by the
// client libraries a user would pick instead, against their own servers on 127.0.0.1.
//
//   node peers.mjs <pouchdb|automerge> <step> '<json args>'
//
// Steps (each one process, as a device that starts, works and stops):
//   seed     create the records in a local database, then upload them to the server
//   pull     a fresh device downloads everything (the initial sync)
//   noop     the same device syncs again with nothing to do
//   edit     apply edits to the local copy, offline
//   sync     sync both ways after the edits (pushes local edits, pulls remote ones)
// Args: {server, dir, records (JSONL of {id,type,fields}), edits (JSON [{id,field,value}]),
//        expect (edits the device must have received), batch}
// Prints one JSON object: {ms, ...counts}. Errors exit non-zero with a message.

import fs from "node:fs"
import readline from "node:readline"

const [system, step, rawArgs] = process.argv.slice(2)
const args = JSON.parse(rawArgs || "{}")
if (args.dir) fs.mkdirSync(args.dir, { recursive: true })

async function readRecords(path) {
  const out = []
  const lines = readline.createInterface({ input: fs.createReadStream(path), crlfDelay: Infinity })
  for await (const line of lines) if (line.trim()) out.push(JSON.parse(line))
  return out
}

function readEdits(path) {
  return path ? JSON.parse(fs.readFileSync(path, "utf8")) : []
}

function done(result) {
  process.stdout.write(JSON.stringify(result) + "\n")
  process.exit(0)
}

// ---------------------------------------------------------------- PouchDB (CouchDB protocol)
async function pouchdb() {
  const { default: PouchDB } = await import("pouchdb")
  let requests = 0
  const remote =
    args.server &&
    new PouchDB(args.server, {
      fetch: (url, opts) => {
        requests += 1
        return PouchDB.fetch(url, opts)
      },
    })
  const local = new PouchDB(args.dir)
  const batch = { batch_size: args.batch || 500 }
  const t = performance.now()
  const ms = () => Math.round((performance.now() - t) * 10) / 10
  switch (step) {
    case "seed": {
      const records = await readRecords(args.records)
      for (let i = 0; i < records.length; i += 1000) {
        const docs = records.slice(i, i + 1000).map((r) => ({ _id: r.id, type: r.type, ...r.fields }))
        const res = await local.bulkDocs(docs)
        const bad = res.find((r) => r.error)
        if (bad) throw new Error(`bulkDocs: ${JSON.stringify(bad)}`)
      }
      const create_ms = ms()
      const up = await PouchDB.replicate(local, remote, batch)
      return done({ create_ms, upload_ms: Math.round((ms() - create_ms) * 10) / 10, docs_written: up.docs_written, requests })
    }
    case "pull": {
      const down = await PouchDB.replicate(remote, local, batch)
      const info = await local.info()
      return done({ ms: ms(), docs: info.doc_count, docs_written: down.docs_written, requests })
    }
    case "noop":
    case "sync": {
      const res = await PouchDB.sync(local, remote, batch)
      const result = { ms: ms(), pushed: res.push.docs_written, pulled: res.pull.docs_written, requests }
      for (const e of args.expect ? readEdits(args.expect) : []) {
        const doc = await local.get(e.id)
        if (doc[e.field] !== e.value) throw new Error(`${e.id}.${e.field} not received`)
      }
      return done(result)
    }
    case "edit": {
      const edits = readEdits(args.edits)
      for (let i = 0; i < edits.length; i += 500) {
        const chunk = edits.slice(i, i + 500)
        const rows = await local.allDocs({ keys: chunk.map((e) => e.id), include_docs: true })
        const docs = rows.rows.map((row, j) => ({ ...row.doc, [chunk[j].field]: chunk[j].value }))
        await local.bulkDocs(docs)
      }
      return done({ ms: ms(), edits: edits.length })
    }
  }
  throw new Error(`unknown step ${step}`)
}

// ---------------------------------------------------------------- automerge-repo (one document per record)
async function automerge() {
  const { Repo } = await import("@automerge/automerge-repo")
  const { BrowserWebSocketClientAdapter } = await import("@automerge/automerge-repo-network-websocket")
  const { NodeFSStorageAdapter } = await import("@automerge/automerge-repo-storage-nodefs")
  const index = `${args.dir}/index.json` // record id -> document URL, as an app would keep
  const offline = step === "edit"
  const repo = new Repo({
    storage: new NodeFSStorageAdapter(`${args.dir}/repo`),
    network: offline ? [] : [new BrowserWebSocketClientAdapter(args.server)],
    peerId: `bench-${process.pid}`,
  })
  const t = performance.now()
  const ms = () => Math.round((performance.now() - t) * 10) / 10
  const deadline = Date.now() + (args.timeout_s || 600) * 1000

  // The server's storage id, once connected.
  async function serverStorage() {
    for (;;) {
      const peer = repo.peers[0]
      const id = peer && repo.getStorageIdOfPeer(peer)
      if (id) return id
      if (Date.now() > deadline) throw new Error("no server peer")
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  // Until the server has told us it holds every handle's current heads.
  async function untilServerHas(handles) {
    const storage = await serverStorage()
    for (;;) {
      const behind = handles.filter((h) => {
        const theirs = h.getRemoteHeads(storage)
        const ours = h.heads()
        return !theirs || !ours || theirs.length !== ours.length || !ours.every((x) => theirs.includes(x))
      }).length
      if (behind === 0) return
      if (Date.now() > deadline) throw new Error(`${behind} documents not acknowledged by the server in time`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  async function openAll(urls) {
    const handles = urls.map((u) => repo.find(u))
    let missing = 0
    await Promise.all(
      handles.map(async (h) => {
        const doc = await h.doc(["ready", "unavailable"])
        if (!doc) missing += 1
      }),
    )
    if (missing) throw new Error(`${missing} documents unavailable`)
    return handles
  }

  switch (step) {
    case "seed": {
      const records = await readRecords(args.records)
      const urls = {}
      const handles = records.map((r) => {
        const h = repo.create({ id: r.id, type: r.type, ...r.fields })
        urls[r.id] = h.url
        return h
      })
      fs.writeFileSync(index, JSON.stringify(urls))
      const create_ms = ms()
      await untilServerHas(handles)
      const upload_ms = ms() - create_ms
      await repo.flush()
      return done({ create_ms, upload_ms, docs_written: handles.length })
    }
    case "pull": {
      // The device is given the index (a real app would sync an index document).
      const urls = JSON.parse(fs.readFileSync(args.index, "utf8"))
      fs.writeFileSync(index, JSON.stringify(urls))
      const handles = await openAll(Object.values(urls))
      const result = { ms: ms(), docs: handles.length }
      await repo.flush()
      return done(result)
    }
    case "noop":
    case "sync": {
      const urls = JSON.parse(fs.readFileSync(index, "utf8"))
      const handles = await openAll(Object.values(urls))
      const byId = Object.fromEntries(handles.map((h) => [h.docSync().id, h]))
      const expect = args.expect ? readEdits(args.expect) : []
      for (;;) {
        const waiting = expect.filter((e) => byId[e.id].docSync()[e.field] !== e.value).length
        if (waiting === 0) break
        if (Date.now() > deadline) throw new Error(`${waiting} remote edits not received in time`)
        await new Promise((r) => setTimeout(r, 50))
      }
      await untilServerHas(handles)
      const result = { ms: ms(), docs: handles.length }
      await repo.flush()
      return done(result)
    }
    case "edit": {
      const urls = JSON.parse(fs.readFileSync(index, "utf8"))
      const edits = readEdits(args.edits)
      const handles = await openAll(edits.map((e) => urls[e.id]))
      edits.forEach((e, i) => handles[i].change((d) => (d[e.field] = e.value)))
      const result = { ms: ms(), edits: edits.length }
      await repo.flush()
      return done(result)
    }
  }
  throw new Error(`unknown step ${step}`)
}

const run = { pouchdb, automerge }[system]
if (!run) {
  console.error(`unknown system ${system}: pouchdb or automerge`)
  process.exit(2)
}
run().catch((e) => {
  console.error(`${system} ${step}: ${e.stack || e}`)
  process.exit(1)
})
