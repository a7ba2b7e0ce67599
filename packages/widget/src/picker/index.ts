/**
 * @module The photo picker, a chunk of its own: imported only when the
 * customer presses "Add a photo", so the form's budget carries none of it.
 */
import { picker } from './Picker.css'

export { canCapture, capturePage, fitWithin, type Photo, PhotoError, preparePhoto } from './_image'
export { type PhotoMessages, photoMessages } from './_messages'
export { PhotoPicker, type PickerProps } from './Picker'

/** The picker's styles, for the widget to adopt into its shadow root. */
export const css: string = picker
