/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Filled by the auth middleware when a valid session is present. */
    user?: { id: string; email: string; name: string; role: 'BUYER' | 'SELLER' | 'ADMIN'; tokenVersion: number };
  }
}
