import type { Config } from "tailwindcss";

// Read by Tailwind 4 through `@config` in app/globals.css.
export default {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: { 50: "#eef6ff", 100: "#d9eaff", 600: "#1d5fbf", 700: "#174c99", 900: "#0f2f5f" },
      },
    },
  },
} satisfies Config;
