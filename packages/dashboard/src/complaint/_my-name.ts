/**
 * @module Who is working: the name this person takes complaints and signs
 * replies with, remembered in this browser.
 */
import { signal } from '@preact/signals'

const NAME_KEY = 'redress:dashboard-name'

const storedName = () => {
  try {
    return localStorage.getItem(NAME_KEY) ?? ''
  } catch {
    return ''
  }
}

/** The name this person takes complaints and signs replies with (remembered in this browser). */
export const myName = signal(storedName())

export function setMyName(name: string): void {
  myName.value = name
  try {
    localStorage.setItem(NAME_KEY, name)
  } catch {}
}
