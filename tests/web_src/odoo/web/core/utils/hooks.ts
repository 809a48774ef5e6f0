// Test double of Odoo's `useService`: the service comes from the test's environment.
import { useEnv } from "@odoo/owl";

export function useService<T = unknown>(name: string): T {
  return (useEnv() as { services: Record<string, T> }).services[name]!;
}
