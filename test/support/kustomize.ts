import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as YAML gives it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Array<{ path: string }>;
}

// Kinds that live outside namespaces (the ones these manifests could hold).
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass']);

/**
 * Renders a kustomization the way `kubectl kustomize` does for the features deploy/k8s uses:
 * `resources` (files and kustomization directories), `namespace`, `images` and strategic-merge
 * `patches` (maps merge, lists of named items merge by `name`, other lists are replaced). Any
 * other field is refused, so the manifests cannot outgrow what this reader understands.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  const kustomization = readYaml(file)[0] as Kustomization & Record<string, unknown>;
  const known = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);
  const unknown = Object.keys(kustomization).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`${file}: unsupported fields ${unknown.join(', ')}`);

  let objects: K8sObject[] = (kustomization.resources ?? []).flatMap((entry) => {
    const path = resolve(dir, entry);
    return statSync(path).isDirectory() ? renderKustomization(path) : (readYaml(path) as K8sObject[]);
  });
  for (const patch of kustomization.patches ?? []) {
    for (const change of readYaml(join(dir, patch.path)) as K8sObject[]) {
      const target = objects.find((o) => o.kind === change.kind && o.metadata.name === change.metadata.name);
      if (!target) throw new Error(`${patch.path}: no ${change.kind} ${change.metadata.name} to patch`);
      objects = objects.map((o) => (o === target ? (strategicMerge(o, change) as K8sObject) : o));
    }
  }
  if (kustomization.namespace) {
    for (const object of objects) if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
  }
  for (const image of kustomization.images ?? []) {
    for (const container of objects.flatMap(containersOf)) {
      const [name, tag] = splitImage(container.image);
      if (name !== image.name) continue;
      container.image = `${image.newName ?? name}${image.newTag ?? tag ? `:${image.newTag ?? tag}` : ''}`;
    }
  }
  return objects;
}

export function containersOf(object: K8sObject): Array<{ name: string; image: string } & Record<string, any>> {
  const spec = (object as any).spec?.template?.spec;
  return spec ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [];
}

function readYaml(path: string): unknown[] {
  if (!existsSync(path)) throw new Error(`${path} does not exist (referenced from ${dirname(path)})`);
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJS() as unknown)
    .filter((value) => value !== null);
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

function strategicMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) {
    const named = (list: unknown[]) => list.every((item) => item !== null && typeof item === 'object' && 'name' in item);
    if (!named(base) || !named(patch)) return patch;
    const merged = base.map((item) => {
      const change = patch.find((p) => p.name === item.name);
      return change ? strategicMerge(item, change) : item;
    });
    return [...merged, ...patch.filter((p) => !base.some((item) => item.name === p.name))];
  }
  if (isMap(base) && isMap(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = key in base ? strategicMerge(base[key], value) : value;
    }
    return merged;
  }
  return patch;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
