import type { User } from '@watershed/store';

/**
 * A user as the API shows it and the audit log records it: never the password hash. A type,
 * not an interface, so it is assignable to the audit log's Json.
 */
export type UserView = {
  id: string;
  name: string;
  role: string;
  project: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
};

export function userView(u: User): UserView {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    project: u.project,
    mustChangePassword: u.mustChangePassword,
    disabled: u.disabled,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
