// Validates Kubernetes manifests (YAML, several documents) against the API schema of
// kubernetes-models, plus what the API server checks across fields and objects that a schema
// cannot: names are DNS labels, a StatefulSet's selector matches its pods and names a headless
// Service of the file, every mount names a volume, a ConfigMap volume names a ConfigMap of the
// file. Prints one line per document; exit status 1 when any is invalid. Run by validate.sh.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const file = process.argv[2];
const text = readFileSync(file ?? 0, "utf8");
const problems = [];
const objects = [];

for (const doc of parseAllDocuments(text)) {
    for (const error of doc.errors) problems.push(`YAML: ${error.message}`);
    const object = doc.toJS();
    if (object === null || object === undefined) continue; // comments only
    objects.push(object);
}
if (objects.length === 0) problems.push("no Kubernetes object in the input");

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const isLabel = (name) => typeof name === "string" && name.length <= 63 && label.test(name);
const isSubdomain = (name) =>
    typeof name === "string" && name.length <= 253 && name.split(".").every(isLabel);

function crossChecks(object, where) {
    const say = (message) => problems.push(`${where}: ${message}`);
    const { kind, metadata = {} } = object;
    const dnsLabelKinds = ["Service", "StatefulSet", "Namespace"];
    if (dnsLabelKinds.includes(kind) ? !isLabel(metadata.name) : !isSubdomain(metadata.name))
        say(`metadata.name ${JSON.stringify(metadata.name)} is not a DNS-1123 name`);
    if (metadata.namespace !== undefined && !isLabel(metadata.namespace))
        say(`metadata.namespace ${JSON.stringify(metadata.namespace)} is not a DNS-1123 label`);
    if (kind !== "StatefulSet") return;
    const spec = object.spec ?? {};
    const podLabels = spec.template?.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(spec.selector?.matchLabels ?? {})) {
        if (podLabels[key] !== value) say(`selector ${key}=${value} does not match the pod labels`);
    }
    const service = objects.find((o) => o.kind === "Service" && o.metadata?.name === spec.serviceName);
    if (!service) say(`serviceName ${JSON.stringify(spec.serviceName)}: no such Service in the file`);
    else if (service.spec?.clusterIP !== "None") say(`Service ${spec.serviceName} is not headless`);
    const pod = spec.template?.spec ?? {};
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    for (const container of pod.containers ?? []) {
        for (const mount of container.volumeMounts ?? []) {
            if (!volumes.has(mount.name))
                say(`container ${container.name} mounts ${mount.name}, which is no volume`);
        }
    }
    for (const volume of volumes.values()) {
        const name = volume.configMap?.name;
        if (name && !objects.some((o) => o.kind === "ConfigMap" && o.metadata?.name === name))
            say(`volume ${volume.name} names ConfigMap ${name}, which is not in the file`);
    }
}

for (const [index, object] of objects.entries()) {
    const where = `document ${index + 1} (${object.kind ?? "no kind"} ${object.metadata?.name ?? ""})`;
    const { apiVersion, kind } = object;
    if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z]+$/.test(kind)) {
        problems.push(`${where}: apiVersion and kind are required`);
        continue;
    }
    let Model;
    try {
        Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
    } catch {
        problems.push(`${where}: unknown apiVersion/kind ${apiVersion}/${kind}`);
        continue;
    }
    const before = problems.length;
    try {
        new Model(object).validate();
    } catch (error) {
        problems.push(`${where}: ${error.message}`);
    }
    crossChecks(object, where);
    if (problems.length === before) console.log(`${where}: valid`);
}

for (const problem of problems) console.error(`invalid: ${problem}`);
process.exit(problems.length === 0 ? 0 : 1);
